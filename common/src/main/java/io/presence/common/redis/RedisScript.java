package io.presence.common.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script of {@code /redis/} with the shared helpers of {@code lib.lua} in front, run by its SHA-1 (EVALSHA);
 * a server that does not know it yet (new, restarted, or another cluster node) gets the whole text once (EVAL).
 * A script that puts events on a bus channel does so with {@code BUS_PUBLISH}: PUBLISH, or SPUBLISH in its
 * {@link #sharded(boolean) sharded} form.
 */
public final class RedisScript {

    private static final String LIB = read("lib.lua");

    private final String name;
    private final String source;
    private final String sha;
    /** Its two forms, publishing with PUBLISH and with SPUBLISH (set once, by {@link #load}). */
    private RedisScript classic;
    private RedisScript sharded;

    private RedisScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha = sha1(source);
    }

    /** A script of {@code /redis/} with the helpers; its file opens with what KEYS and ARGV hold. */
    public static RedisScript load(String file) {
        String body = LIB + "\n" + read(file);
        RedisScript classic = new RedisScript(file, prelude("PUBLISH") + body);
        RedisScript sharded = new RedisScript(file, prelude("SPUBLISH") + body);
        for (RedisScript form : List.of(classic, sharded)) {
            form.classic = classic;
            form.sharded = sharded;
        }
        return classic;
    }

    /** This script publishing its events with SPUBLISH (sharded pub/sub) when {@code sharded}, else with PUBLISH. */
    public RedisScript sharded(boolean sharded) {
        return sharded ? this.sharded : this.classic;
    }

    private static String prelude(String publish) {
        return "local BUS_PUBLISH = '" + publish + "'\n";
    }

    public String name() {
        return name;
    }

    public String sha() {
        return sha;
    }

    /** Runs the script; KEYS must all live in one Redis Cluster slot. */
    public Uni<Response> run(Redis redis, List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args))
                .onFailure(RedisScript::isNoScript)
                .recoverWithUni(() -> redis.send(request(Command.EVAL, source, keys, args)));
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    private static boolean isNoScript(Throwable error) {
        String message = error.getMessage();
        return message != null && message.startsWith("NOSCRIPT");
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(String file) {
        try (InputStream in = RedisScript.class.getResourceAsStream("/redis/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing script /redis/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
