package cn.yekuo.hub.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * The statements an H2 hub ran (H2's own {@code INFORMATION_SCHEMA.QUERY_STATISTICS}, switched on with
 * {@link #URL_SETTINGS}) whose plan ({@code EXPLAIN}) reads more than the rows asked for as the hub fills up: a table
 * growing with the cases read by a full scan (grows with every case held), or a row or a case named by the statement
 * ({@code id}, {@code case_id}, {@code case_no}) found by reading an index on {@code <column> IS NULL} without it
 * (grows with the backlog of every case: H2 takes a near-unique column's {@code is null} for one row). Both cost
 * nothing on the one case of a test (issue 19: JDBC CPU per case went from 153 ms at 20 cases to 680 ms at 1,000).
 */
public final class StatementPlans {

    /** Appended to an H2 URL: keeps every distinct statement the database runs (the default keeps 100). */
    public static final String URL_SETTINGS = ";QUERY_STATISTICS=TRUE;QUERY_STATISTICS_MAX_ENTRIES=5000";

    /** Tables with rows per case or per mail: the hub's working set grows with them. */
    static final Set<String> GROWING = Set.of("YK_CASE", "CASE_TIMELINE", "OUTBOX", "PROCESSED_MESSAGE", "UNIT_MAIL",
            "UNIT_MAIL_ATTEMPT", "UNIT_MAIL_ALERT", "CASE_TASK", "CASE_NODE", "CASE_DOCUMENT", "CASE_DOCUMENT_CHAIN",
            "MAIL_ATTACHMENT", "ASSESSMENT_ENTRY", "ASSESSMENT_ENTRY_CHANGE", "RETURN_VISIT_CASE", "DEAD_LETTER_LOG",
            "QUARANTINE_LOG", "STORED_FILE", "SPRING_SESSION", "SPRING_SESSION_ATTRIBUTES");

    private static final Pattern SCAN = Pattern.compile("\"?PUBLIC\"?\\.\"?(\\w+)\"?\\.tableScan");

    /** Where a table is read in a plan: the access, then its index comment and conditions up to the next access. */
    private static final Pattern ACCESS = Pattern.compile("(?:FROM|JOIN|UPDATE) \"PUBLIC\"\\.\"(\\w+)\"");

    /** The index an access reads (named by a hint or chosen) and its conditions (H2 lists them in its own order, not the index's). */
    private static final Pattern INDEX = Pattern.compile("^\\s*(?:\"\\w+\"\\s*)?(?:USE INDEX \\([^)]*\\)\\s*)?/\\* PUBLIC\\.(\\w+): (.*?)\\*/",
            Pattern.DOTALL);

    /** One index condition: its column and operator. */
    private static final Pattern CONDITION = Pattern.compile("(?:^|AND )\"?(\\w+)\"? (IS NULL|=|IN\\(|<|>|<=|>=)");

    /** A condition naming a row or a case: its id or number, equal to a value or in a list (not NOT IN). */
    private static final Pattern NAMED = Pattern.compile("(?<!\\w)\"?(ID|CASE_ID|CASE_NO)\"? (=|IN\\()");

    private StatementPlans() {
    }

    /** A statement and the growing tables its plan scans. */
    public record Scan(String sql, Set<String> tables) {
        @Override
        public String toString() {
            return tables + " <- " + sql.replaceAll("\\s+", " ");
        }
    }

    /** Every statement run so far whose plan scans a growing table, except those {@code allowed} matches (by text). */
    public static List<Scan> scansOfGrowingTables(DataSource dataSource, Pattern allowed) throws SQLException {
        List<Scan> scans = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<String> statements = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("select sql_statement from information_schema.query_statistics");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    statements.add(rs.getString(1));
                }
            }
            if (statements.isEmpty()) {
                throw new IllegalStateException("no query statistics: is " + URL_SETTINGS + " on the URL?");
            }
            // the plans of a database whose statistics are those of its rows (H2 analyses on its own only after
            // thousands of changes): a near-unique column and a case's one id are then what a full hub sees
            try (PreparedStatement p = c.prepareStatement("analyze")) {
                p.execute();
            }
            Map<String, List<String>> indexColumns = indexColumns(c);
            for (String sql : statements) {
                String head = sql.stripLeading().toLowerCase();
                boolean explainable = head.startsWith("select") || head.startsWith("update") || head.startsWith("delete")
                        || head.startsWith("with");
                if (!explainable || head.contains("information_schema") || allowed.matcher(sql).find()) {
                    continue;
                }
                Set<String> tables = new TreeSet<>();
                try (PreparedStatement p = c.prepareStatement("explain " + sql); ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        String plan = rs.getString(1);
                        Matcher m = SCAN.matcher(plan);
                        while (m.find()) {
                            if (GROWING.contains(m.group(1).toUpperCase())) {
                                tables.add(m.group(1).toUpperCase());
                            }
                        }
                        tables.addAll(casesReadThroughTheBacklog(plan, indexColumns));
                    }
                }
                if (!tables.isEmpty()) {
                    scans.add(new Scan(sql, tables));
                }
            }
        }
        return scans;
    }

    /**
     * The growing tables a plan reads through an index by {@code IS NULL} (the seek of the index's leading columns holds
     * an {@code IS NULL}) while the statement names a row or a case that the seek does not use (each as "T (backlog)").
     */
    static Set<String> casesReadThroughTheBacklog(String plan, Map<String, List<String>> indexColumns) {
        Set<String> tables = new TreeSet<>();
        Matcher m = ACCESS.matcher(plan);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
            names.add(m.group(1).toUpperCase());
        }
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : plan.length();
            String access = plan.substring(starts.get(i)[1], end);
            Matcher index = INDEX.matcher(access);
            if (!GROWING.contains(names.get(i)) || !index.find()) {
                continue;
            }
            Map<String, String> operators = new HashMap<>();
            Matcher condition = CONDITION.matcher(index.group(2).replaceAll("\\s+", " ").strip());
            while (condition.find()) {
                operators.putIfAbsent(condition.group(1), condition.group(2));
            }
            List<String> seek = new ArrayList<>(); // the index's leading columns with an equality: what the read seeks by
            for (String column : indexColumns.getOrDefault(index.group(1), List.of())) {
                String op = operators.get(column);
                if (op == null || !(op.equals("=") || op.equals("IS NULL") || op.startsWith("IN"))) {
                    break;
                }
                seek.add(column);
            }
            boolean byNull = seek.stream().anyMatch(col -> "IS NULL".equals(operators.get(col)));
            Set<String> named = columns(NAMED.matcher(access.substring(index.end())));
            if (byNull && !named.isEmpty() && seek.stream().noneMatch(named::contains)) {
                tables.add(names.get(i) + " (backlog)");
            }
        }
        return tables;
    }

    /** Each index's columns in their order: what a read by it can seek by. */
    private static Map<String, List<String>> indexColumns(Connection c) throws SQLException {
        Map<String, List<String>> columns = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("select index_name, column_name from information_schema.index_columns"
                + " where index_schema = 'PUBLIC' order by index_name, ordinal_position");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return columns;
    }

    private static Set<String> columns(Matcher named) {
        Set<String> columns = new TreeSet<>();
        while (named.find()) {
            columns.add(named.group(1));
        }
        return columns;
    }
}
