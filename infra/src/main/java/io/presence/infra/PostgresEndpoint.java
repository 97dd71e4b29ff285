package io.presence.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A reachable PostgreSQL server and the database the suite uses on it. */
public record PostgresEndpoint(String host, int port, String user, String password, String database, boolean embedded) {

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    public PostgresEndpoint withDatabase(String db) {
        return new PostgresEndpoint(host, port, user, password, db, embedded);
    }

    /** Opens a connection to the given database with short timeouts, so a dead server fails fast. */
    public Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "30");
        props.setProperty("loginTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(db), props);
    }

    /** Creates the database when it does not exist yet. */
    public void ensureDatabase() throws SQLException {
        try (Connection c = connect("postgres");
             var check = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            check.setString(1, database);
            if (!check.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("CREATE DATABASE " + quoteIdentifier(database));
                }
            }
        }
    }

    /** Drops the database, disconnecting whoever still uses it. */
    public void dropDatabase() throws SQLException {
        try (Connection c = connect("postgres"); var drop = c.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS " + quoteIdentifier(database) + " WITH (FORCE)");
        }
    }

    static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return (embedded ? "embedded " : "") + "PostgreSQL " + host + ":" + port + "/" + database;
    }
}
