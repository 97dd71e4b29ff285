package io.presence.common.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** One-line Redis commands on the Vert.x client, and the list replies they give. */
public final class RedisCalls {

    private RedisCalls() {
    }

    public static Uni<Response> send(Redis redis, Command command, String... args) {
        Request request = Request.cmd(command);
        for (String arg : args) {
            request.arg(arg);
        }
        return redis.send(request);
    }

    /** The items of a list reply as strings (empty for null). */
    public static List<String> strings(Response response) {
        List<String> values = new ArrayList<>();
        if (response != null) {
            for (Response item : response) {
                values.add(item.toString());
            }
        }
        return values;
    }
}
