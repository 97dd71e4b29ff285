package io.presence.user.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.presence.common.app.App;
import io.presence.common.app.AppLimits;
import io.presence.common.app.AppWebhook;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The app store's table and its change counter, in plain JDBC on the transaction's connection (the row has a column
 * per limit and a JSON column: SQL says it more plainly than a mapped entity). Callers hold the transaction.
 */
@ApplicationScoped
public class AppRepository {

    /** What an insert or update met. */
    public enum Outcome { DONE, ID_TAKEN, KEY_TAKEN, MISSING }

    private static final String UNIQUE_VIOLATION = "23505";
    private static final TypeReference<List<AppWebhook>> WEBHOOKS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, key, secret, previous_secret, previous_secret_until, enabled, max_connections,"
            + " enable_client_messages, max_backend_events_per_second, max_client_events_per_second, max_read_requests_per_second,"
            + " max_presence_members_per_channel, max_presence_member_size_in_kb, max_channel_name_length,"
            + " max_event_channels_at_once, max_event_name_length, max_event_payload_in_kb, max_event_batch_size,"
            + " enable_user_authentication, webhooks, encryption_master_key, presence_visibility, resume_window_seconds,"
            + " max_stored_events_per_channel";
    private static final String VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?";

    private final AgroalDataSource database;
    private final ObjectMapper json;

    public AppRepository(AgroalDataSource database, ObjectMapper json) {
        this.database = database;
        this.json = json;
    }

    /** Every app, oldest first. */
    public List<App> all() {
        return query("SELECT " + COLUMNS + " FROM apps ORDER BY created_at, id", null);
    }

    /** The app with this id; {@code lock}: held until the transaction ends, so concurrent changes of it take turns. */
    public Optional<App> find(String id, boolean lock) {
        return query("SELECT " + COLUMNS + " FROM apps WHERE id = ?" + (lock ? " FOR UPDATE" : ""), id).stream().findFirst();
    }

    /** Whether another app than {@code exceptId} has this key. */
    public boolean keyTaken(String key, String exceptId) {
        return !query("SELECT " + COLUMNS + " FROM apps WHERE key = ? AND id <> ?", key, exceptId == null ? "" : exceptId).isEmpty();
    }

    /** Adds an app; tells whether its id or key was taken (nothing added then). */
    public Outcome insert(App app) {
        String sql = "INSERT INTO apps (" + COLUMNS + ") VALUES (" + VALUES + ") ON CONFLICT DO NOTHING";
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, app);
            if (s.executeUpdate() == 1) {
                return Outcome.DONE;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return find(app.id(), false).isPresent() ? Outcome.ID_TAKEN : Outcome.KEY_TAKEN;
    }

    /** Writes every field of an existing app (its id unchanged); KEY_TAKEN when another app has its key. */
    public Outcome update(App app) {
        String sql = "UPDATE apps SET (" + COLUMNS + ", updated_at) = (" + VALUES + ", now()) WHERE id = ?";
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, app);
            s.setString(25, app.id());
            return s.executeUpdate() == 1 ? Outcome.DONE : Outcome.MISSING;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return Outcome.KEY_TAKEN;
            }
            throw new IllegalStateException(e);
        }
    }

    /** Removes an app; false when there was none. */
    public boolean delete(String id) {
        return update("DELETE FROM apps WHERE id = ?", id) == 1;
    }

    /**
     * Creates a configured app (with its configured presence visibility), or brings its key, secret, webhooks and
     * encryption key to the configured ones (limits, enabled and visibility stay as the operator set them); a changed secret keeps the old one for {@code grace}.
     * Safe when several instances seed at once: the row lock orders them and the later one finds nothing to change.
     *
     * @return true when the row was added or changed
     */
    public boolean seed(App configured, Duration grace) {
        String sql = "INSERT INTO apps (id, key, secret, webhooks, encryption_master_key, presence_visibility)"
                + " VALUES (?, ?, ?, CAST(? AS jsonb), ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET key = EXCLUDED.key, secret = EXCLUDED.secret, webhooks = EXCLUDED.webhooks,"
                + " encryption_master_key = EXCLUDED.encryption_master_key, updated_at = now(),"
                + " previous_secret = CASE WHEN apps.secret <> EXCLUDED.secret THEN apps.secret ELSE apps.previous_secret END,"
                + " previous_secret_until = CASE WHEN apps.secret <> EXCLUDED.secret THEN now() + make_interval(secs => ?)"
                + " ELSE apps.previous_secret_until END"
                + " WHERE (apps.key, apps.secret, apps.webhooks, apps.encryption_master_key)"
                + " IS DISTINCT FROM (EXCLUDED.key, EXCLUDED.secret, EXCLUDED.webhooks, EXCLUDED.encryption_master_key)";
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, configured.id());
            s.setString(2, configured.key());
            s.setString(3, configured.secret());
            s.setString(4, webhooks(configured.webhooks()));
            s.setString(5, configured.encryptionMasterKey());
            s.setString(6, configured.presenceVisibility());
            s.setDouble(7, grace.toMillis() / 1000.0);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the store's version up and returns it; the row stays locked until the transaction ends. */
    public long bumpVersion() {
        return version("UPDATE app_store_version SET version = version + 1 RETURNING version");
    }

    /** The store's version as committed; no change commits until the transaction ends, so a read of all apps after it agrees. */
    public long lockedVersion() {
        return version("SELECT version FROM app_store_version FOR SHARE");
    }

    private long version(String sql) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int update(String sql, String arg) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<App> query(String sql, String... args) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; args != null && i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            List<App> apps = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    apps.add(app(r));
                }
            }
            return apps;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private App app(ResultSet r) throws SQLException {
        Timestamp until = r.getTimestamp(5);
        AppLimits limits = new AppLimits(integer(r, 7), bool(r, 8), integer(r, 9), integer(r, 10), integer(r, 11), integer(r, 12),
                decimal(r, 13), integer(r, 14), integer(r, 15), integer(r, 16), decimal(r, 17), integer(r, 18), bool(r, 19),
                integer(r, 23), integer(r, 24));
        List<AppWebhook> hooks;
        try {
            hooks = json.readValue(r.getString(20), WEBHOOKS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable webhooks of app " + r.getString(1), e);
        }
        return new App(r.getString(1), r.getString(2), r.getString(3), r.getString(4), until == null ? null : until.getTime(),
                r.getBoolean(6), limits, hooks, r.getString(21), r.getString(22));
    }

    private void bind(PreparedStatement s, App app) throws SQLException {
        AppLimits l = app.limits();
        s.setString(1, app.id());
        s.setString(2, app.key());
        s.setString(3, app.secret());
        s.setString(4, app.previousSecret());
        if (app.previousSecretUntil() == null) {
            s.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(5, OffsetDateTime.ofInstant(Instant.ofEpochMilli(app.previousSecretUntil()), ZoneOffset.UTC));
        }
        s.setBoolean(6, app.enabled());
        Object[] limits = {l.maxConnections(), l.enableClientMessages(), l.maxBackendEventsPerSecond(), l.maxClientEventsPerSecond(),
                l.maxReadRequestsPerSecond(), l.maxPresenceMembersPerChannel(), l.maxPresenceMemberSizeInKb(), l.maxChannelNameLength(),
                l.maxEventChannelsAtOnce(), l.maxEventNameLength(), l.maxEventPayloadInKb(), l.maxEventBatchSize(),
                l.enableUserAuthentication()};
        for (int i = 0; i < limits.length; i++) {
            Object v = limits[i];
            int type = v instanceof Boolean || (v == null && (i == 1 || i == 12)) ? Types.BOOLEAN
                    : v instanceof Double || (v == null && (i == 6 || i == 10)) ? Types.DOUBLE : Types.INTEGER;
            s.setObject(7 + i, v, type);
        }
        s.setString(20, webhooks(app.webhooks()));
        s.setString(21, app.encryptionMasterKey());
        s.setString(22, app.presenceVisibility());
        s.setObject(23, l.resumeWindowSeconds(), Types.INTEGER);
        s.setObject(24, l.maxStoredEventsPerChannel(), Types.INTEGER);
    }

    /** The webhooks as stored: event types sorted, so equal lists are equal JSON (seeding compares them). */
    private String webhooks(List<AppWebhook> hooks) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AppWebhook hook : hooks) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("url", hook.url());
            row.put("event_types", new TreeSet<>(hook.eventTypes()));
            rows.add(row);
        }
        try {
            return json.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Integer integer(ResultSet r, int column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v;
    }

    private static Double decimal(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    private static Boolean bool(ResultSet r, int column) throws SQLException {
        boolean v = r.getBoolean(column);
        return r.wasNull() ? null : v;
    }
}
