package cn.yekuo.hub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's CPU goes over one measured window (issue 19, item 2): any JVM by pid, the hub's own or the benchmark's.
 * Each thread's CPU time comes from {@code /proc/<pid>/task/<tid>/stat} at both ends of the window; a JFR recording
 * started by {@code jcmd} over the same window splits each Java thread's CPU by its execution samples (a sample is
 * taken only while the thread runs Java code, so counts are comparable within a thread, not across threads: a thread
 * waiting on a socket has no samples and no CPU). Threads JFR never sees (GC, JIT compilers, the VM thread) are named by
 * their OS thread name. See {@link #classify} for which frame decides a sample's category.
 */
final class CpuBreakdown {

    /** What the CPU did. {@code work}: the outputs themselves (documents, the mail server), not coordinating them. */
    enum Category {
        DOCUMENTS("documents (rendering, PDF, seal)", true),
        MAIL_COMPOSITION("mail composition (templates, MIME)", false),
        MAIL_CLIENT("mail client (SMTP relay, IMAP reading, MIME parsing)", false),
        MAIL_SERVER("the mail server (GreenMail, disk mail store)", true),
        JDBC("JDBC (H2/PostgreSQL, pool, Spring JDBC)", false),
        JMS("JMS (Artemis broker and client, Camel/Spring JMS)", false),
        FRAMEWORK("Camel/Spring overhead (routing, transactions, proxies, Quartz)", false),
        HUB_CODE("the hub's own code (cases, workflow, replies, outbox)", false),
        WORKFLOW_ENGINE("workflow engine (Flowable, MyBatis)", false),
        GC("JVM: GC and VM operations", false),
        JIT("JVM: JIT compilers", false),
        CLASS_LOADING("JVM: class loading and look-up (first use of a class)", false),
        JVM_OTHER("JVM: other threads", false),
        MEASUREMENT("JFR recording and jcmd (the measurement itself)", false),
        REST("the rest (JSON, logging, metrics, JDK, threads ended in the window)", false);

        final String label;
        final boolean work;

        Category(String label, boolean work) {
            this.label = label;
            this.work = work;
        }

        /** The short name used in figure names: the label before its parenthesis. */
        String shortName() {
            int p = label.indexOf(" (");
            return p < 0 ? label : label.substring(0, p);
        }
    }

    /**
     * Package or class prefixes, longest first wins (so {@code org.springframework.jdbc.} is JDBC, not Spring). The
     * libraries several callers use ({@link #LIBRARIES}) are decided by the caller below them instead.
     */
    private static final Map<String, Category> OWN = new LinkedHashMap<>();

    /** Libraries that work for several callers: their own category if no caller below claims them. */
    private static final Map<String, Category> LIBRARIES = new LinkedHashMap<>();

    /** Which caller categories take the work of which library (by the library's default category). */
    private static final Map<Category, List<String>> CLAIMS = new EnumMap<>(Category.class);

    /** Frames that never decide (the JDK, generated accessors): the frame below them does. */
    private static final List<String> NEUTRAL = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "scala.");

    static {
        for (String p : List.of("cn.yekuo.hub.rendering.", "cn.yekuo.hub.documents.", "com.openhtmltopdf.", "org.apache.pdfbox.",
                "org.apache.fontbox.", "org.apache.xmpbox.", "de.rototor.", "org.apache.camel.component.pdf.")) {
            OWN.put(p, Category.DOCUMENTS);
        }
        // the customer's mail about a document is composition, not the document
        for (String p : List.of("cn.yekuo.hub.handoff.", "cn.yekuo.hub.documents.CustomerMails", "cn.yekuo.hub.documents.StatusLinks",
                "cn.yekuo.hub.mailtransport.MailMessages", "cn.yekuo.hub.mailtransport.MailTemplates", "cn.yekuo.hub.mailtransport.OutgoingMail",
                "cn.yekuo.hub.mailtransport.MailAttachment", "cn.yekuo.hub.mailtransport.HtmlText", "cn.yekuo.hub.mailtransport.TextLines",
                "cn.yekuo.hub.mailtransport.MailCharsets", "cn.yekuo.hub.mailtransport.MailFiles", "cn.yekuo.hub.mailtransport.MailStreamProvider")) {
            OWN.put(p, Category.MAIL_COMPOSITION);
        }
        for (String p : List.of("org.apache.camel.component.mail.", "cn.yekuo.hub.mailtransport.relay.")) {
            OWN.put(p, Category.MAIL_CLIENT);
        }
        for (String p : List.of("com.icegreen.greenmail.", "cn.yekuo.hub.mailtransport.DiskMail", "cn.yekuo.hub.mailtransport.EmbeddedMailServer")) {
            OWN.put(p, Category.MAIL_SERVER);
        }
        for (String p : List.of("org.h2.", "org.postgresql.", "com.zaxxer.hikari.", "java.sql.", "javax.sql.", "org.springframework.jdbc.",
                "org.springframework.session.jdbc.", "org.apache.camel.component.sql.", "org.quartz.impl.jdbcjobstore.", "org.flywaydb.")) {
            OWN.put(p, Category.JDBC);
        }
        for (String p : List.of("org.apache.activemq.", "jakarta.jms.", "javax.jms.", "org.apache.camel.component.jms.",
                "org.springframework.jms.", "io.netty.", "org.apache.qpid.", "org.fusesource.")) {
            OWN.put(p, Category.JMS);
        }
        for (String p : List.of("org.apache.camel.", "org.springframework.", "org.quartz.", "org.aopalliance.")) {
            OWN.put(p, Category.FRAMEWORK);
        }
        for (String p : List.of("org.flowable.", "org.apache.ibatis.")) {
            OWN.put(p, Category.WORKFLOW_ENGINE);
        }
        for (String p : List.of("com.fasterxml.jackson.", "ch.qos.logback.", "org.slf4j.", "org.apache.logging.", "io.micrometer.",
                "com.networknt.", "org.apache.tomcat.", "org.apache.catalina.", "org.apache.coyote.")) {
            OWN.put(p, Category.REST);
        }
        // the nested-jar class loader of java -jar and the JDK's loaders: a cold JVM's first use of each class
        for (String p : List.of("org.springframework.boot.loader.", "java.lang.ClassLoader", "jdk.internal.loader.", "java.net.URLClassLoader",
                "java.security.SecureClassLoader")) {
            OWN.put(p, Category.CLASS_LOADING);
        }
        OWN.put("cn.yekuo.hub.", Category.HUB_CODE);
        // the benchmark's own driver threads (bare Flowable runs in the benchmark JVM)
        OWN.put("cn.yekuo.hub.bench.", Category.REST);

        for (String p : List.of("jakarta.mail.", "org.eclipse.angus.", "jakarta.activation.", "com.sun.mail.")) {
            LIBRARIES.put(p, Category.MAIL_CLIENT);
        }
        for (String p : List.of("freemarker.", "org.bouncycastle.", "org.jsoup.")) {
            LIBRARIES.put(p, Category.REST);
        }
        // the renderer's templates, HTML and seal are the document's; the mail templates, HTML and MIME are the mail's
        CLAIMS.put(Category.DOCUMENTS, List.of("freemarker.", "org.bouncycastle.", "org.jsoup."));
        CLAIMS.put(Category.MAIL_COMPOSITION, List.of("freemarker.", "org.jsoup.", "jakarta.mail.", "org.eclipse.angus.", "jakarta.activation.", "com.sun.mail."));
    }

    /** The recording's settings: method samples every 10 ms, little else (the default settings' other events cost CPU too). */
    private static final Map<String, String> SETTINGS = Map.of(
            "jdk.ExecutionSample#period", "10 ms",
            "jdk.NativeMethodSample#period", "20 ms",
            "jdk.GarbageCollection#enabled", "true",
            "jdk.CPULoad#period", "1 s",
            "jdk.Compilation#threshold", "0 ms");

    /** Results by window name, for a window stopped where its caller cannot hand it on (e.g. inside a peer's run). */
    private static final Map<String, Result> LAST = new ConcurrentHashMap<>();

    private CpuBreakdown() {
    }

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty("yk.bench.cpu-breakdown", "true"));
    }

    /** JVM options for a JVM to be broken down: deep enough stacks that the caller deciding a sample is still in them. */
    static List<String> jvmOptions() {
        return enabled() ? List.of("-XX:FlightRecorderOptions=stackdepth=512") : List.of();
    }

    /**
     * The lifecycle's figures: the hub's CPU per case by category, and its coordination (all but documents, the mail
     * server and the recording itself) against bare Flowable's CPU per case (goal of issue 19: at most 1.0x).
     */
    static void lifecycleFigures(Results results, Result hub, double hubMsPerCase, Result bare, double bareMsPerCase) {
        if (hub == null) {
            if (enabled()) {
                results.note("lifecycle: no CPU breakdown of the hub (see the benchmark's output)");
            }
            return;
        }
        hub.addFigures(results, "lifecycle", hubMsPerCase);
        double work = 0;
        StringBuilder outputs = new StringBuilder();
        for (Category c : Category.values()) {
            if (c.work || c == Category.MEASUREMENT) {
                work += hub.msPerCase(c, hubMsPerCase);
                outputs.append(String.format(Locale.ROOT, "%s%s %.0f ms", outputs.length() == 0 ? "" : ", ", c.shortName(), hub.msPerCase(c, hubMsPerCase)));
            }
        }
        // the peer without its own recording's cost either, when it was recorded too
        double peer = bare == null ? bareMsPerCase : bareMsPerCase - bare.msPerCase(Category.MEASUREMENT, bareMsPerCase);
        results.add("lifecycle: coordination CPU per case (all but documents and the mail server)", "ms", hubMsPerCase - work,
                bare == null ? "bare Flowable CPU per case (engine + H2 + driver threads)" : "bare Flowable CPU per case, less its JFR recording", peer,
                String.format(Locale.ROOT, "the hub's %.0f ms per case less %s; of it JIT compilers %.0f ms and class loading %.0f ms (a cold JVM);"
                                + " %d execution samples, breakdown in target/bench/cpu-breakdown-*.md",
                        hubMsPerCase, outputs, hub.msPerCase(Category.JIT, hubMsPerCase), hub.msPerCase(Category.CLASS_LOADING, hubMsPerCase),
                        hub.samples()), Results.Goal.max(1.0));
        if (bare != null) {
            bare.addFigures(results, "lifecycle, bare Flowable", bareMsPerCase);
        }
    }

    /** The result of the last window of that name stopped, or null. */
    static Result last(String name) {
        return LAST.get(name);
    }

    /** Starts recording the whole JVM {@code pid}; a no-op window when the breakdown is off. */
    static Window start(long pid, String name) {
        return start(pid, name, null);
    }

    /**
     * Starts recording the JVM {@code pid}; with {@code javaThreads} only the Java threads whose name it accepts count
     * (a hub inside the benchmark JVM), and then the JVM's own threads (GC, JIT) are left out: they serve every thread.
     */
    static Window start(long pid, String name, Predicate<String> javaThreads) {
        if (!enabled()) {
            return new Window(pid, name, javaThreads, null, null, null, 0);
        }
        try {
            Path dir = Bench.ROOT.resolve("jfr").toAbsolutePath();
            Files.createDirectories(dir);
            Path settings = dir.resolve("cpu-breakdown.jfc");
            writeSettings(settings);
            String recording = "yk-cpu-" + name.replaceAll("\\W+", "-");
            String out = jcmd(pid, "JFR.start", "name=" + recording, "settings=" + settings);
            if (!out.contains("Started recording")) {
                throw new IllegalStateException("JFR.start in " + pid + ": " + out.strip());
            }
            // the window starts after JFR is up: its start-up is not the work measured
            Map<Long, ThreadCpu> threads = threadCpu(pid);
            return new Window(pid, name, javaThreads, recording, threads, Instant.now(), processTicks(pid));
        } catch (Exception e) {
            System.out.println("[bench] CPU breakdown of " + name + " not started: " + e);
            return new Window(pid, name, javaThreads, null, null, null, 0);
        }
    }

    /** One measured window of one JVM. */
    static final class Window {
        private final long pid;
        private final String name;
        private final Predicate<String> javaThreads;
        private final String recording;
        private final Map<Long, ThreadCpu> before;
        private final Instant from;
        private final long processTicksBefore;

        private Window(long pid, String name, Predicate<String> javaThreads, String recording, Map<Long, ThreadCpu> before,
                       Instant from, long processTicksBefore) {
            this.pid = pid;
            this.name = name;
            this.javaThreads = javaThreads;
            this.recording = recording;
            this.before = before;
            this.from = from;
            this.processTicksBefore = processTicksBefore;
        }

        /** Ends the window, stops the recording and breaks the window's CPU down; null if it never started or fails. */
        Result stop() {
            if (recording == null) {
                return null;
            }
            try {
                Map<Long, ThreadCpu> after = threadCpu(pid);
                long processTicks = processTicks(pid) - processTicksBefore;
                Instant to = Instant.now();
                Path file = Bench.ROOT.resolve("jfr").resolve(Bench.RUN + "-" + recording + ".jfr").toAbsolutePath();
                String out = jcmd(pid, "JFR.stop", "name=" + recording, "filename=" + file);
                if (!Files.exists(file)) {
                    throw new IllegalStateException("JFR.stop in " + pid + ": " + out.strip());
                }
                Result result = analyse(name, file, before, after, processTicks, from, to, javaThreads);
                LAST.put(name, result);
                Files.writeString(Bench.ROOT.resolve("cpu-breakdown-" + name.replaceAll("\\W+", "-") + ".md"), result.report());
                return result;
            } catch (Exception e) {
                System.out.println("[bench] CPU breakdown of " + name + " failed: " + e);
                return null;
            }
        }
    }

    /** The window's CPU by category, in seconds, and where in the code each category's time went. */
    record Result(String name, Map<Category, Double> seconds, double totalSeconds, double processSeconds, long samples,
                  long truncatedSamples, Map<Category, Map<String, Double>> topFrames, Map<Category, Map<String, Double>> hubCallers,
                  Map<String, Double> threadGroups, Map<String, Map<Category, Double>> threadCategories, Map<Category, Double> compiled,
                  long compilations, Path recording) {

        double share(Category c) {
            return totalSeconds == 0 ? 0 : seconds.getOrDefault(c, 0.0) / totalSeconds;
        }

        /** The category's part of a CPU-per-case figure measured over the same window. */
        double msPerCase(Category c, double cpuMsPerCase) {
            return share(c) * cpuMsPerCase;
        }

        /** Everything but the outputs themselves (documents, the mail server) and the recording: coordination. */
        double coordinationShare() {
            double s = 0;
            for (Category c : Category.values()) {
                if (!c.work && c != Category.MEASUREMENT) {
                    s += share(c);
                }
            }
            return s;
        }

        /** Figures "<prefix>: CPU per case, <category>" in ms, the share in the note, each category with CPU. */
        void addFigures(Results results, String prefix, double cpuMsPerCase) {
            for (Category c : Category.values()) {
                if (seconds.getOrDefault(c, 0.0) > 0) {
                    results.add(prefix + ": CPU per case, " + c.shortName(), "ms", msPerCase(c, cpuMsPerCase), null, null,
                            String.format(Locale.ROOT, "%.1f%% of %s's CPU in the measured window: %s", 100 * share(c), name, c.label));
                }
            }
        }

        String report() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "# CPU breakdown: %s%n%nThreads' CPU in the window %.2f s (process %.2f s), %d execution samples"
                    + " (%d with a truncated stack), recording %s%n%n", name, totalSeconds, processSeconds, samples, truncatedSamples, recording));
            b.append("| category | CPU s | share |\n|---|---:|---:|\n");
            for (Category c : Category.values()) {
                b.append(String.format(Locale.ROOT, "| %s | %.2f | %.1f%% |%n", c.label, seconds.getOrDefault(c, 0.0), 100 * share(c)));
            }
            double compileSeconds = compiled.values().stream().mapToDouble(Double::doubleValue).sum();
            b.append(String.format(Locale.ROOT, "%n## What the JIT compiled in the window: %d compilations, %.1f s, by the compiled method's category%n%n",
                    compilations, compileSeconds));
            compiled.entrySet().stream().sorted(Map.Entry.<Category, Double>comparingByValue().reversed())
                    .forEach(e -> b.append(String.format(Locale.ROOT, "- %s: %.1f s (%.0f%%)%n", e.getKey().label, e.getValue(), 100 * e.getValue() / compileSeconds)));
            b.append("\n## Threads by name (CPU s)\n\n");
            threadGroups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(25)
                    .forEach(e -> {
                        b.append(String.format(Locale.ROOT, "- %s: %.2f", e.getKey(), e.getValue()));
                        Map<Category, Double> split = threadCategories.getOrDefault(e.getKey(), Map.of());
                        if (split.size() > 1) {
                            b.append(" (");
                            split.entrySet().stream().sorted(Map.Entry.<Category, Double>comparingByValue().reversed())
                                    .forEach(c -> b.append(String.format(Locale.ROOT, "%s %.0f%%; ", c.getKey().shortName(), 100 * c.getValue() / e.getValue())));
                            b.setLength(b.length() - 2);
                            b.append(")");
                        }
                        b.append("\n");
                    });
            b.append("\n## The frame that decided, by category (CPU s)\n");
            appendTop(b, topFrames);
            b.append("\n## The hub's method nearest the top of the stack, by category (CPU s)\n");
            appendTop(b, hubCallers);
            return b.toString();
        }

        private static void appendTop(StringBuilder b, Map<Category, Map<String, Double>> top) {
            for (Category c : Category.values()) {
                Map<String, Double> frames = top.get(c);
                if (frames == null || frames.isEmpty()) {
                    continue;
                }
                b.append("\n### ").append(c.label).append("\n\n");
                frames.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                        .forEach(e -> b.append(String.format(Locale.ROOT, "- %.2f %s%n", e.getValue(), e.getKey())));
            }
        }
    }

    /** A sample's category, the frame that decided it, and the hub's method nearest the top. */
    record Verdict(Category category, String frame, String hubFrame) {
    }

    /**
     * The category of one stack, top frame first. (1) The mail server, if any frame is the server's: everything its
     * threads do (their storage, their JDBC if any) is serving mail. (2) Otherwise the first frame from the top that
     * belongs to a category decides, skipping the JDK ({@code java.util} under PDFBox is documents; H2 under the
     * renderer is JDBC; the Camel route under the renderer is not reached). (3) A library several callers use (Jakarta
     * Mail, FreeMarker, jsoup, Bouncy Castle) is decided by the first categorised frame below it: documents claim
     * FreeMarker, jsoup and Bouncy Castle (the seal); mail composition claims them and Jakarta Mail; any other caller
     * (Camel, the hub's code) leaves the library its own category (Jakarta Mail: the mail client; the others: the rest).
     * A stack of JDK frames only is the rest.
     */
    static Verdict classify(List<String> classes, List<String> methods) {
        String hubFrame = null;
        for (int i = 0; i < classes.size(); i++) {
            String cls = classes.get(i);
            if (hubFrame == null && cls.startsWith("cn.yekuo.hub.") && !cls.startsWith("cn.yekuo.hub.bench.") && !cls.contains("$$")) {
                hubFrame = simple(cls) + "." + methods.get(i);
            }
        }
        for (int i = 0; i < classes.size(); i++) {
            if (own(classes.get(i)) == Category.MAIL_SERVER) {
                return new Verdict(Category.MAIL_SERVER, frame(classes, methods, i), hubFrame);
            }
        }
        String pending = null;
        int pendingAt = -1;
        for (int i = 0; i < classes.size(); i++) {
            String cls = classes.get(i);
            // Spring's proxies of the hub's beans are Spring's
            Category c = cls.contains("$$SpringCGLIB$$") || cls.contains("$$EnhancerBySpringCGLIB$$") ? Category.FRAMEWORK : own(cls);
            if (c == null) {
                String library = prefix(LIBRARIES, cls);
                if (library != null && pending == null) {
                    pending = library;
                    pendingAt = i;
                }
                continue;
            }
            if (pending == null) {
                return new Verdict(c, frame(classes, methods, i), hubFrame);
            }
            if (CLAIMS.getOrDefault(c, List.of()).contains(pending)) {
                return new Verdict(c, frame(classes, methods, i), hubFrame);
            }
            return new Verdict(LIBRARIES.get(pending), frame(classes, methods, pendingAt), hubFrame);
        }
        if (pending != null) {
            return new Verdict(LIBRARIES.get(pending), frame(classes, methods, pendingAt), hubFrame);
        }
        return new Verdict(Category.REST, classes.isEmpty() ? "(no frames)" : frame(classes, methods, 0), hubFrame);
    }

    private static String frame(List<String> classes, List<String> methods, int i) {
        return classes.get(i) + "." + methods.get(i);
    }

    private static String simple(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    private static Category own(String cls) {
        String p = prefix(OWN, cls);
        if (p != null) {
            return OWN.get(p);
        }
        return null;
    }

    /** The longest prefix of the map that {@code cls} starts with; the JDK's own packages only where named (java.sql). */
    private static String prefix(Map<String, Category> table, String cls) {
        String best = null;
        for (String p : table.keySet()) {
            if (cls.startsWith(p) && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        if (best == null && NEUTRAL.stream().anyMatch(cls::startsWith)) {
            return null;
        }
        return best;
    }

    /** A thread JFR has no sample of: by its OS name (the JVM's own threads, or a Java thread's first 15 characters). */
    static Category byThreadName(String name) {
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread") || name.startsWith("GC ")
                || name.startsWith("Shenandoah") || name.startsWith("ZWorker") || name.startsWith("ZDirector")) {
            return Category.GC;
        }
        if (name.contains("CompilerThre") || name.startsWith("Sweeper")) {
            return Category.JIT;
        }
        if (name.startsWith("JFR ") || name.equals("Attach Listener")) {
            return Category.MEASUREMENT;
        }
        if (name.startsWith("VM Periodic") || name.equals("Service Thread") || name.startsWith("Signal Dispatch") || name.startsWith("Monitor Deflati")
                || name.startsWith("Common-Cleaner") || name.startsWith("Notification Th") || name.equals("Finalizer") || name.startsWith("Reference Handl")) {
            return Category.JVM_OTHER;
        }
        return Category.REST;
    }

    private record ThreadCpu(String name, long ticks) {
    }

    /** Per-category sample weights of one thread. */
    private static final class Samples {
        final Map<Category, Double> byCategory = new EnumMap<>(Category.class);
        final Map<Category, Map<String, Double>> frames = new EnumMap<>(Category.class);
        final Map<Category, Map<String, Double>> hubFrames = new EnumMap<>(Category.class);
        String javaName;
        long count;

        void add(Verdict v) {
            count++;
            byCategory.merge(v.category(), 1.0, Double::sum);
            frames.computeIfAbsent(v.category(), k -> new HashMap<>()).merge(v.frame(), 1.0, Double::sum);
            if (v.hubFrame() != null) {
                hubFrames.computeIfAbsent(v.category(), k -> new HashMap<>()).merge(v.hubFrame(), 1.0, Double::sum);
            }
        }
    }

    static Result analyse(String name, Path jfr, Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, long processTicks,
                          Instant from, Instant to, Predicate<String> javaThreads) throws IOException {
        Map<Long, Samples> java = new HashMap<>();
        Map<Long, Samples> nativeOnly = new HashMap<>();
        long samples = 0;
        long truncated = 0;
        Map<Category, Double> compiled = new EnumMap<>(Category.class);
        long compilations = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.Compilation") && !e.getStartTime().isBefore(from) && !e.getStartTime().isAfter(to)) {
                    // the compiler's time by what it compiled (wall time of one compiler thread, a proxy of its CPU)
                    jdk.jfr.consumer.RecordedMethod m = e.getValue("method");
                    if (m != null) {
                        Category c = classify(List.of(m.getType().getName()), List.of(m.getName())).category();
                        compiled.merge(c, e.getDuration().toNanos() / 1e9, Double::sum);
                        compilations++;
                    }
                    continue;
                }
                boolean execution = type.equals("jdk.ExecutionSample");
                if (!execution && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                RecordedThread t = e.getThread("sampledThread");
                RecordedStackTrace st = e.getStackTrace();
                if (t == null || st == null) {
                    continue;
                }
                List<String> classes = new ArrayList<>();
                List<String> methods = new ArrayList<>();
                for (RecordedFrame f : st.getFrames()) {
                    classes.add(f.getMethod().getType().getName());
                    methods.add(f.getMethod().getName());
                }
                Samples s = (execution ? java : nativeOnly).computeIfAbsent(t.getOSThreadId(), k -> new Samples());
                s.javaName = t.getJavaName();
                s.add(classify(classes, methods));
                if (execution) {
                    samples++;
                    if (st.isTruncated()) {
                        truncated++;
                    }
                }
            }
        }
        Map<Category, Double> seconds = new EnumMap<>(Category.class);
        Map<Category, Map<String, Double>> top = new EnumMap<>(Category.class);
        Map<Category, Map<String, Double>> hub = new EnumMap<>(Category.class);
        Map<String, Double> groups = new TreeMap<>();
        Map<String, Map<Category, Double>> groupCategories = new HashMap<>();
        double total = 0;
        long counted = 0;
        for (Entry<Long, ThreadCpu> e : after.entrySet()) {
            long tid = e.getKey();
            ThreadCpu start = before.get(tid);
            long ticks = e.getValue().ticks() - (start == null || !start.name().equals(e.getValue().name()) ? 0 : start.ticks());
            counted += ticks;
            if (ticks <= 0) {
                continue;
            }
            double s = ticks / (double) CLOCK_TICKS;
            Samples sampled = java.containsKey(tid) ? java.get(tid) : nativeOnly.get(tid);
            String threadName = sampled != null && sampled.javaName != null ? sampled.javaName : e.getValue().name();
            if (javaThreads != null && (sampled == null || !javaThreads.test(threadName))) {
                continue;
            }
            total += s;
            String group = threadName.replaceAll("[-#\\s]*\\d+$", "");
            groups.merge(group, s, Double::sum);
            Map<Category, Double> split = groupCategories.computeIfAbsent(group, k -> new EnumMap<>(Category.class));
            if (sampled == null) {
                seconds.merge(byThreadName(e.getValue().name()), s, Double::sum);
                split.merge(byThreadName(e.getValue().name()), s, Double::sum);
            } else {
                spread(sampled, s, seconds, top, hub);
                sampled.byCategory.forEach((c, k) -> split.merge(c, s * k / sampled.count, Double::sum));
            }
        }
        // threads that ended within the window: their CPU is in the process's, spread by their samples
        double ended = (processTicks - counted) / (double) CLOCK_TICKS;
        if (ended > 0 && javaThreads == null) {
            Samples gone = new Samples();
            for (Map.Entry<Long, Samples> e : java.entrySet()) {
                if (!after.containsKey(e.getKey())) {
                    e.getValue().byCategory.forEach((c, n) -> gone.byCategory.merge(c, n, Double::sum));
                    e.getValue().frames.forEach((c, m) -> m.forEach((f, n) -> gone.frames.computeIfAbsent(c, k -> new HashMap<>()).merge(f, n, Double::sum)));
                    gone.count += e.getValue().count;
                }
            }
            total += ended;
            groups.merge("(threads ended in the window)", ended, Double::sum);
            Map<Category, Double> split = groupCategories.computeIfAbsent("(threads ended in the window)", k -> new EnumMap<>(Category.class));
            if (gone.count == 0) {
                seconds.merge(Category.REST, ended, Double::sum);
                split.merge(Category.REST, ended, Double::sum);
            } else {
                spread(gone, ended, seconds, top, hub);
                gone.byCategory.forEach((c, k) -> split.merge(c, ended * k / gone.count, Double::sum));
            }
        }
        return new Result(name, seconds, total, processTicks / (double) CLOCK_TICKS, samples, truncated, top, hub, groups, groupCategories, compiled, compilations, jfr);
    }

    /** A thread's CPU split by the share of its samples in each category. */
    private static void spread(Samples s, double cpu, Map<Category, Double> seconds, Map<Category, Map<String, Double>> top,
                               Map<Category, Map<String, Double>> hub) {
        double n = s.count;
        s.byCategory.forEach((c, k) -> seconds.merge(c, cpu * k / n, Double::sum));
        s.frames.forEach((c, m) -> m.forEach((f, k) -> top.computeIfAbsent(c, x -> new HashMap<>()).merge(f, cpu * k / n, Double::sum)));
        s.hubFrames.forEach((c, m) -> m.forEach((f, k) -> hub.computeIfAbsent(c, x -> new HashMap<>()).merge(f, cpu * k / n, Double::sum)));
    }

    /** USER_HZ: 100 on Linux for every architecture the JDK runs on. */
    private static final int CLOCK_TICKS = 100;

    /** user + system ticks of the whole process, ended threads included (what the benchmark's CPU per case uses). */
    private static long processTicks(long pid) throws IOException {
        String[] f = fieldsAfterName(Files.readString(Path.of("/proc/" + pid + "/stat")));
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** user + system ticks and the OS name of each live thread of the process. */
    private static Map<Long, ThreadCpu> threadCpu(long pid) throws IOException {
        Map<Long, ThreadCpu> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = fieldsAfterName(stat);
                    threads.put(Long.parseLong(task.getFileName().toString()), new ThreadCpu(name, Long.parseLong(f[11]) + Long.parseLong(f[12])));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while being read: its time is in the process's
                }
            }
        }
        return threads;
    }

    /** The fields of a stat line from the state (field 3 of proc(5)) on. */
    private static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static void writeSettings(Path file) throws Exception {
        Map<String, String> settings = new TreeMap<>(jdk.jfr.Configuration.getConfiguration("default").getSettings());
        // nothing but what the breakdown reads: every other event of the default settings off
        settings.replaceAll((k, v) -> k.endsWith("#enabled") ? "false" : v);
        for (String event : List.of("jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.GarbageCollection", "jdk.CPULoad", "jdk.Compilation")) {
            settings.put(event + "#enabled", "true");
        }
        settings.putAll(SETTINGS);
        Map<String, Map<String, String>> byEvent = new TreeMap<>();
        settings.forEach((k, v) -> {
            int hash = k.indexOf('#');
            byEvent.computeIfAbsent(k.substring(0, hash), x -> new TreeMap<>()).put(k.substring(hash + 1), v);
        });
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration version=\"2.0\" label=\"yk-cpu-breakdown\">\n");
        byEvent.forEach((event, s) -> {
            xml.append("  <event name=\"").append(event).append("\">\n");
            s.forEach((k, v) -> xml.append("    <setting name=\"").append(k).append("\">").append(escape(v)).append("</setting>\n"));
            xml.append("  </event>\n");
        });
        xml.append("</configuration>\n");
        Files.writeString(file, xml);
    }

    private static String escape(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String jcmd(long pid, String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(String.valueOf(pid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }
}
