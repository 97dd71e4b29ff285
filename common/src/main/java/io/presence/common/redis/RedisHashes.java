package io.presence.common.redis;

import io.vertx.mutiny.redis.client.Response;
import java.util.Set;
import java.util.function.BiConsumer;

/** Reads an HGETALL answer whether Redis spoke RESP3 (a map) or RESP2 (a flat field, value, ... array). */
public final class RedisHashes {

    private RedisHashes() {
    }

    public static void forEach(Response hash, BiConsumer<String, String> entry) {
        if (hash == null) {
            return;
        }
        Set<String> keys = mapKeys(hash);
        if (!keys.isEmpty()) {
            for (String key : keys) {
                entry.accept(key, hash.get(key).toString());
            }
            return;
        }
        for (int i = 0; i + 1 < hash.size(); i += 2) {
            entry.accept(hash.get(i).toString(), hash.get(i + 1).toString());
        }
    }

    private static Set<String> mapKeys(Response response) {
        try {
            Set<String> keys = response.getKeys();
            return keys == null ? Set.of() : keys;
        } catch (RuntimeException notAMap) {
            return Set.of();
        }
    }
}
