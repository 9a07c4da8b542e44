package cn.yekuo.hub.config;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** The few statements that H2 and PostgreSQL spell differently. */
public enum SqlDialect {
    H2, POSTGRESQL;

    public static SqlDialect of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return of(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the case store to learn its dialect", e);
        }
    }

    /** The dialect of the database behind a connection already held. */
    public static SqlDialect of(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres") ? POSTGRESQL : H2;
    }

    /**
     * After a table name in a query: on H2, read it by this index. H2 takes a near-unique column's {@code IS NULL} for
     * one row and may prefer a shorter index that reads far more; PostgreSQL's planner knows the column's null share.
     */
    public String useIndex(String index) {
        return this == H2 ? " use index (" + index + ")" : "";
    }

    public String nextValue(String sequence) {
        return this == POSTGRESQL ? "select nextval('" + sequence + "')" : "select next value for " + sequence;
    }
}
