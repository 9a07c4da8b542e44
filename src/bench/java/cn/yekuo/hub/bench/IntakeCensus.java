package cn.yekuo.hub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.RunningHub;

/**
 * The specification of the same-work ceiling, measured: which rows the hub writes (and changes) for one accepted
 * application of {@link IntakeLoad#applications}, with the relays and the document issuer done, and the statements
 * it ran for it (H2's trace). {@code mvn -o -Pbench verify -Dtest=IntakeCensus -Dyk.bench.broker-port=…}; writes
 * target/bench/census.txt and the H2 trace under the hub's data directory.
 */
@Tag("bench")
class IntakeCensus {

    @Test
    void one_application() throws Exception {
        int port = Bench.intProp("yk.bench.broker-port", 61780);
        int mail = Bench.intProp("yk.bench.mail-port", 3780);
        Map<String, Object> props = new java.util.HashMap<>(Bench.hubDefaults("census"));
        props.put("yk.broker.password", Bench.HUB_PASSWORD);
        props.put("yk.mail.smtp-port", String.valueOf(mail));
        props.put("yk.mail.imap-port", String.valueOf(mail + 1));
        Path dir = Bench.dir("census");
        StringBuilder out = new StringBuilder();
        try (RunningHub hub = RunningHub.start(dir, port, props)) {
            JdbcTemplate jdbc = hub.jdbc();
            String url = "tcp://127.0.0.1:" + port;
            IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status", IntakeLoad.applications(3), 0, 120);
            settle(jdbc);
            Map<String, Set<String>> before = snapshot(jdbc);
            jdbc.execute("SET TRACE_LEVEL_FILE 2");
            IntakeLoad.run(url, "billing", "billing", "yk.billing.applications", "yk.billing.status", IntakeLoad.applications(1), 0, 120);
            settle(jdbc);
            jdbc.execute("SET TRACE_LEVEL_FILE 0");
            Map<String, Set<String>> after = snapshot(jdbc);
            out.append("### the hub, one application\n");
            diff(before, after, out);
            // the same through the same-work ceiling: the same tables and counts are expected
            try (SameWorkIntake same = new SameWorkIntake(hub, url, "hub", Bench.HUB_PASSWORD, false, 1, mail);
                 MailWatch watch = new MailWatch(hub, same.recipients())) {
                IntakeLoad.Outcome o = IntakeLoad.run(url, "hub", Bench.HUB_PASSWORD, SameWorkIntake.IN, SameWorkIntake.STATUS,
                        IntakeLoad.applications(1), 0, 60, IntakeLoad.Done.allWork(watch));
                out.append("### the same-work ceiling, one application (completed ").append(o.completed()).append(")\n");
                settle(jdbc);
                diff(after, snapshot(jdbc), out);
            }
        }
        Files.createDirectories(Bench.ROOT);
        Files.writeString(Bench.ROOT.resolve("census.txt"), out);
        System.out.println(out);
    }

    private static void diff(Map<String, Set<String>> before, Map<String, Set<String>> after, StringBuilder out) {
        for (String table : after.keySet()) {
            Set<String> added = new HashSet<>(after.get(table));
            added.removeAll(before.getOrDefault(table, Set.of()));
            Set<String> gone = new HashSet<>(before.getOrDefault(table, Set.of()));
            gone.removeAll(after.get(table));
            if (added.isEmpty() && gone.isEmpty()) {
                continue;
            }
            out.append("== ").append(table).append(": rows ").append(before.getOrDefault(table, Set.of()).size())
                    .append(" -> ").append(after.get(table).size()).append(", new/changed ").append(added.size())
                    .append(", old versions ").append(gone.size()).append('\n');
            for (String r : gone) {
                out.append("  - ").append(r).append('\n');
            }
            for (String r : added) {
                out.append("  + ").append(r).append('\n');
            }
        }
    }

    /** Waits until no outbox row is pending and nothing changes for a second (relays and issuer done). */
    private static void settle(JdbcTemplate jdbc) throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            Integer pending = jdbc.queryForObject("select count(*) from outbox where sent_at is null", Integer.class);
            if (pending != null && pending == 0) {
                break;
            }
            Thread.sleep(500);
        }
        Thread.sleep(3000);
    }

    private static Map<String, Set<String>> snapshot(JdbcTemplate jdbc) {
        Map<String, Set<String>> rows = new TreeMap<>();
        List<String> tables = jdbc.queryForList(
                "select table_name from information_schema.tables where table_schema = 'PUBLIC' and table_type = 'BASE TABLE'", String.class);
        for (String t : tables) {
            Set<String> set = new HashSet<>();
            jdbc.query("select * from \"" + t + "\"", rs -> {
                var md = rs.getMetaData();
                List<String> cells = new ArrayList<>();
                for (int c = 1; c <= md.getColumnCount(); c++) {
                    Object v = rs.getObject(c);
                    String s;
                    if (v instanceof byte[] b) {
                        s = "<" + b.length + " bytes>";
                    } else if (v instanceof java.sql.Blob b) {
                        s = "<blob " + b.length() + " bytes>";
                    } else if (v instanceof java.sql.Clob cl) {
                        s = "<clob " + cl.length() + " chars>";
                    } else {
                        s = String.valueOf(v);
                        if (s.length() > 300) {
                            s = s.substring(0, 300) + "…(" + s.length() + " chars)";
                        }
                    }
                    cells.add(md.getColumnName(c).toLowerCase() + "=" + s);
                }
                set.add(String.join(" | ", cells));
            });
            rows.put(t.toLowerCase(), set);
        }
        return rows;
    }
}
