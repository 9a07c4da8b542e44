import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one thread's CPU goes in a benchmark's JFR recording, by the hub's own code: each execution sample of the
 * threads whose name contains the given text is counted at its nearest {@code cn.yekuo.hub} frame (the hub's line that
 * asked for the work), and apart for the samples in JDBC (an H2, PostgreSQL, Hikari or Spring JDBC frame on the
 * stack). Samples are comparable within a thread, not across threads (docs/benchmarks/19-round-11.md).
 *
 *   java src/bench/scripts/ThreadHotSpots.java target/bench/jfr/<run>-yk-cpu-lifecycle-hub.jfr imap://
 */
public class ThreadHotSpots {

    public static void main(String[] args) throws Exception {
        String thread = args[1];
        Map<String, Integer> jdbc = new HashMap<>();
        Map<String, Integer> all = new HashMap<>();
        int samples = 0;
        int inJdbc = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedThread t = e.getThread("sampledThread");
            RecordedStackTrace stack = e.getStackTrace();
            if (t == null || t.getJavaName() == null || !t.getJavaName().contains(thread) || stack == null) {
                continue;
            }
            samples++;
            boolean isJdbc = false;
            String hub = "(no hub frame)";
            for (RecordedFrame f : stack.getFrames()) {
                String type = f.getMethod().getType().getName();
                isJdbc |= type.startsWith("org.h2.") || type.startsWith("org.postgresql.") || type.startsWith("com.zaxxer.")
                        || type.startsWith("org.springframework.jdbc.");
                if (type.startsWith("cn.yekuo.hub.")) {
                    hub = type.substring("cn.yekuo.hub.".length()) + "." + f.getMethod().getName() + ":" + f.getLineNumber();
                    break;
                }
            }
            all.merge(hub, 1, Integer::sum);
            if (isJdbc) {
                inJdbc++;
                jdbc.merge(hub, 1, Integer::sum);
            }
        }
        System.out.printf("%d samples of threads named *%s*, %d of them in JDBC%n%n-- JDBC samples by the hub's line%n",
                samples, thread, inJdbc);
        top(jdbc);
        System.out.println("\n-- all samples by the hub's line");
        top(all);
    }

    private static void top(Map<String, Integer> counts) {
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(30)
                .forEach(e -> System.out.printf("%6d  %s%n", e.getValue(), e.getKey()));
    }
}
