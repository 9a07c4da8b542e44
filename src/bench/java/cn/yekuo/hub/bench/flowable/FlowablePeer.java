package cn.yekuo.hub.bench.flowable;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.flowable.common.engine.api.FlowableOptimisticLockingException;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.RuntimeService;
import org.flowable.engine.TaskService;
import org.flowable.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.flowable.engine.runtime.ProcessInstance;
import org.flowable.task.api.Task;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import cn.yekuo.hub.broker.EmbeddedBroker;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.documents.SampleDocuments;
import cn.yekuo.hub.documents.DocumentSeal;
import cn.yekuo.hub.handoff.HandoffMailComposer;
import cn.yekuo.hub.mailtransport.EmbeddedMailServer;
import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.rendering.ChineseFontLibrary;
import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.replies.MailReading;
import cn.yekuo.hub.replies.UnitReply;
import cn.yekuo.hub.replies.UnitReplyReader;
import cn.yekuo.hub.replies.grammar.ParsedReply;
import cn.yekuo.hub.replies.grammar.ReplyGrammar;
import cn.yekuo.hub.tokens.HandoffToken;
import cn.yekuo.hub.tokens.TokenRef;

/**
 * Issue 19, peer (b): the application a team would otherwise build on Flowable, with the hub's outputs and its external
 * protocol, in a JVM of its own (the lifecycle benchmark measures its CPU time from /proc like the hub's). Embedded
 * Flowable 7.2 (H2 file database written at each commit as the hub's, async executor on for the timers), the hub's own
 * embedded Artemis broker ({@link EmbeddedBroker}, persistent, synced journal) and mail server ({@link EmbeddedMailServer}
 * with its disk store), the hub's renderer, seal, hand-off composer, reply reader and grammar. Billing's applications and
 * events come over JMS, each stage change goes back as a {@code CaseStatusChanged}; every unit task is handed off by
 * mail after commit and completed by the unit's reply, read from the hub's mailbox over IMAP; the customer documents are
 * issued inside the transition that causes them (the contact card after commit) and mailed to the customer.
 *
 * <p>{@code java -cp <test classpath> cn.yekuo.hub.bench.flowable.FlowablePeer --dir=… --broker-port=… --smtp-port=…
 * --imap-port=… --poll-ms=300}; writes {@code <dir>/ready} once it takes work; stops on SIGTERM.
 */
public final class FlowablePeer {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final String DOMAIN = "yekuo.local";
    static final String HUB = "hub@" + DOMAIN;
    private static final String HUB_PASSWORD = "flowable-peer";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Effects a transition asks for after its commit (status messages, mails), collected per engine call. */
    private static final ThreadLocal<List<Runnable>> AFTER_COMMIT = new ThreadLocal<>();

    final Path dir;
    private final int brokerPort;
    final int smtpPort;
    private final int imapPort;
    private final long pollMillis;
    private final int intakeConsumers;
    private volatile boolean running = true;

    private EmbeddedBroker broker;
    private EmbeddedMailServer mailServer;
    private ProcessEngine engine;
    private DataSource dataSource;
    private jakarta.jms.Connection sendConnection;
    private jakarta.jms.Connection receiveConnection;
    private final List<Thread> loops = new ArrayList<>();

    final jakarta.mail.Session mail;
    final ExecutorService relay = Executors.newFixedThreadPool(2, named("mail-relay"));
    final ExecutorService issuer = Executors.newSingleThreadExecutor(named("document-issuer"));
    private final ThreadLocal<Transport> transports = new ThreadLocal<>();
    private final ThreadLocal<Sender> senders = new ThreadLocal<>();

    DocumentRenderer renderer;
    DocumentSeal seal;
    final HandoffToken tokens = new HandoffToken("flowable-peer-token-secret-of-the-benchmark");
    final HandoffMailComposer composer = new HandoffMailComposer(tokens, ZONE);
    final MailTemplates templates = new MailTemplates();
    private final UnitReplyReader reader = new UnitReplyReader();
    private final ReplyGrammar grammar = new ReplyGrammar();

    private record Sender(Session session, MessageProducer producer) {
    }

    FlowablePeer(Path dir, int brokerPort, int smtpPort, int imapPort, long pollMillis, int intakeConsumers) {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
        this.pollMillis = pollMillis;
        this.intakeConsumers = intakeConsumers;
        java.util.Properties props = new java.util.Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(smtpPort));
        props.put("mail.smtp.auth", "true");
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", String.valueOf(imapPort));
        // nothing is marked read before it is handled: a reply that failed is read again at the next poll (as the hub)
        props.put("mail.imap.peek", "true");
        this.mail = jakarta.mail.Session.getInstance(props);
    }

    public static void main(String[] args) throws Exception {
        logAsTheHub();
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        FlowablePeer peer = new FlowablePeer(Path.of(a.get("dir")), Integer.parseInt(a.get("broker-port")),
                Integer.parseInt(a.get("smtp-port")), Integer.parseInt(a.get("imap-port")),
                Long.parseLong(a.getOrDefault("poll-ms", "300")), Integer.parseInt(a.getOrDefault("intake-consumers", "2")));
        Runtime.getRuntime().addShutdownHook(new Thread(peer::stop, "peer-stop"));
        peer.start();
        Files.writeString(peer.dir.resolve("ready"), "ready");
        System.out.println("Flowable peer ready");
        Thread.currentThread().join();
    }

    /**
     * The hub's log levels (application.yaml): INFO, without the broker's audit log and PDFBox's font warnings; the test
     * classpath's logback default would print every library's DEBUG lines, which costs more than some of the work.
     */
    private static void logAsTheHub() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
            ctx.getLogger("org.apache.activemq.audit").setLevel(ch.qos.logback.classic.Level.WARN);
            ctx.getLogger("org.apache.pdfbox.pdmodel.font.PDType1Font").setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    void start() throws Exception {
        Files.createDirectories(dir);
        HubProperties.Broker brokerSettings = bind("yk.broker", Map.of("yk.broker.acceptor",
                "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE,AMQP,STOMP,OPENWIRE"), HubProperties.Broker.class);
        broker = new EmbeddedBroker(brokerSettings, dir, HUB_PASSWORD);
        broker.start();
        HubProperties.Mail mailSettings = bind("yk.mail", Map.of("yk.mail.smtp-port", String.valueOf(smtpPort),
                "yk.mail.imap-port", String.valueOf(imapPort)), HubProperties.Mail.class);
        List<String> mailboxes = new ArrayList<>(List.of(HUB, "reps@" + DOMAIN));
        for (String unit : List.of("production", "marketing", "construction", "customer-center", "assessment")) {
            mailboxes.add(unit + "@" + DOMAIN);
        }
        mailServer = new EmbeddedMailServer(mailSettings, mailboxes, dir.resolve("mail").resolve("embedded"));
        mailServer.start();

        // the renderer as the hub has it once its background warm-up is done
        ChineseFontLibrary fonts = ChineseFontLibrary.load();
        renderer = new DocumentRenderer(fonts);
        fonts.prepare();
        renderer.warmUp();
        seal = DocumentSeal.embedded(dir, SampleDocuments.COMPANY, Clock.system(ZONE), ZONE);

        StandaloneProcessEngineConfiguration cfg = new StandaloneProcessEngineConfiguration();
        cfg.setJdbcUrl("jdbc:h2:file:" + dir.resolve("flowable").toAbsolutePath() + "/db;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0")
                .setJdbcUsername("sa").setJdbcPassword("").setJdbcDriver("org.h2.Driver")
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setJdbcMaxActiveConnections(intakeConsumers + 8)
                .setAsyncExecutorActivate(true);
        cfg.setBeans(new HashMap<>(Map.of("peer", new PeerEffects(this))));
        engine = cfg.buildProcessEngine();
        engine.getRepositoryService().createDeployment().addClasspathResource("bench/connection.bpmn20.xml").deploy();
        dataSource = cfg.getDataSource();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SEQUENCE IF NOT EXISTS yk_case_seq");
            s.execute("CREATE SEQUENCE IF NOT EXISTS yk_document_seq");
        }

        ActiveMQConnectionFactory jms = new ActiveMQConnectionFactory(broker.inVmUrl(), "hub", HUB_PASSWORD);
        sendConnection = jms.createConnection();
        receiveConnection = jms.createConnection();
        receiveConnection.start();
        for (int i = 0; i < intakeConsumers; i++) {
            loop("intake-" + i, () -> consume(EmbeddedBroker.APPLICATIONS, this::intake));
        }
        loop("events", () -> consume(EmbeddedBroker.EVENTS, this::event));
        loop("mail-reader", this::readReplies);
    }

    private void loop(String name, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        loops.add(t);
    }

    void stop() {
        running = false;
        for (Thread t : loops) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        relay.shutdown();
        issuer.shutdown();
        try {
            relay.awaitTermination(5, TimeUnit.SECONDS);
            issuer.awaitTermination(5, TimeUnit.SECONDS);
            sendConnection.close();
            receiveConnection.close();
        } catch (Exception ignored) {
            // stopping anyway
        }
        if (engine != null) {
            engine.close();
        }
        if (mailServer != null) {
            mailServer.stop();
        }
        try {
            if (broker != null) {
                broker.stop();
            }
        } catch (Exception ignored) {
            // stopping anyway
        }
    }

    // ---- billing over JMS ------------------------------------------------------------------------------------------

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private interface Handler {
        void handle(JsonNode message) throws Exception;
    }

    /** A transacted consumer: the message is acknowledged after the engine committed and the status messages left. */
    private void consume(String queue, Handler handler) throws Exception {
        Session session = receiveConnection.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
        while (running) {
            jakarta.jms.Message m = consumer.receive(500);
            if (m == null) {
                continue;
            }
            try {
                handler.handle(JSON.readTree(((TextMessage) m).getText()));
                session.commit();
            } catch (Exception e) {
                e.printStackTrace();
                session.rollback();
            }
        }
        session.close();
    }

    private void intake(JsonNode a) throws Exception {
        String applicationNo = a.path("applicationNo").asText();
        RuntimeService runtime = engine.getRuntimeService();
        // one case per application: a known one is a duplicate (the hub answers DUPLICATE_APPLICATION)
        if (runtime.createProcessInstanceQuery().variableValueEquals("applicationNo", applicationNo).count() > 0) {
            return;
        }
        int year = OffsetDateTime.parse(a.path("submittedAt").asText()).atZoneSameInstant(ZONE).getYear();
        String caseNo = String.format("YK-%d-%06d", year, next("yk_case_seq"));
        JsonNode customer = a.path("customer");
        Map<String, Object> vars = new HashMap<>();
        vars.put("applicationNo", applicationNo);
        vars.put("caseNo", caseNo);
        vars.put("customerName", customer.path("name").asText());
        vars.put("customerId", customer.path("id").asText(null));
        vars.put("contactName", customer.path("contactName").asText(null));
        vars.put("phone", customer.path("phone").asText(null));
        vars.put("email", customer.path("email").asText(null));
        vars.put("address", a.path("site").path("address").asText());
        vars.put("station", a.path("site").path("supplyStation").asText());
        vars.put("kva", a.path("transformerKva").asInt());
        vars.put("sources", a.path("powerSources").asInt());
        vars.put("requestedDate", a.path("requestedDate").asText(null));
        vars.put("taskCount", 0);
        inTransition(() -> runtime.startProcessInstanceByKey("connection", caseNo, vars));
    }

    private void event(JsonNode e) throws Exception {
        String formality = switch (e.path("type").asText()) {
            case "FeesSettled" -> "feesSettled";
            case "ContractSigned" -> "contractSigned";
            case "ArrearsCleared" -> "arrearsCleared";
            default -> null;
        };
        if (formality == null) {
            return;
        }
        ProcessInstance pi = engine.getRuntimeService().createProcessInstanceQuery()
                .variableValueEquals("applicationNo", e.path("applicationNo").asText()).singleResult();
        if (pi == null) {
            return; // the hub answers UNKNOWN_APPLICATION
        }
        TaskService tasks = engine.getTaskService();
        Task task = tasks.createTaskQuery().processInstanceId(pi.getId()).taskDefinitionKey(formality).singleResult();
        if (task == null) {
            return; // the hub answers INVALID_STATE
        }
        inTransition(() -> {
            tasks.complete(task.getId(), Map.of(formality, e.toString()));
            return null;
        });
    }

    /** A {@code CaseStatusChanged} (docs/contract.md §1.7) to billing, with the hub's JMS properties (§1.9). */
    void status(String applicationNo, String caseNo, String stage, String previous, OffsetDateTime dueAt, String reason) {
        try {
            Sender s = senders.get();
            if (s == null) {
                Session session = sendConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s = new Sender(session, session.createProducer(session.createQueue(EmbeddedBroker.STATUS)));
                senders.set(s);
            }
            String id = UUID.randomUUID().toString();
            ObjectNode j = JSON.createObjectNode();
            j.put("type", "CaseStatusChanged");
            j.put("messageId", id);
            j.put("applicationNo", applicationNo);
            j.put("caseNo", caseNo);
            j.put("stage", stage);
            j.put("previousStage", previous);
            j.put("at", time(OffsetDateTime.now(ZONE)));
            j.put("dueAt", dueAt == null ? null : time(dueAt));
            j.put("reason", reason);
            TextMessage m = s.session().createTextMessage(j.toString());
            m.setStringProperty("type", "CaseStatusChanged");
            m.setStringProperty("applicationNo", applicationNo);
            m.setStringProperty("JMSXGroupID", applicationNo);
            m.setStringProperty("caseNo", caseNo);
            m.setStringProperty("_AMQ_DUPL_ID", id);
            s.producer().send(m);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send the status of case " + caseNo, e);
        }
    }

    static String time(OffsetDateTime t) {
        return t.atZoneSameInstant(ZONE).toOffsetDateTime().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** The end of the last day allowed, {@code days} from today (calendar days; the hub counts working days). */
    static OffsetDateTime due(int days) {
        return LocalDate.now(ZONE).plusDays(days).atTime(23, 59, 59).atZone(ZONE).toOffsetDateTime();
    }

    long next(String sequence) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT NEXT VALUE FOR " + sequence)) {
            r.next();
            return r.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException("sequence " + sequence, e);
        }
    }

    // ---- the engine ------------------------------------------------------------------------------------------------

    /**
     * One engine call (one Flowable transaction), then the effects it asked for; a call that lost a race on the case
     * (optimistic locking) is tried again and asks for its effects again.
     */
    <T> T inTransition(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            List<Runnable> effects = new ArrayList<>();
            AFTER_COMMIT.set(effects);
            T result;
            try {
                result = call.get();
            } catch (FlowableOptimisticLockingException e) {
                if (attempt == 5) {
                    throw e;
                }
                continue;
            } finally {
                AFTER_COMMIT.remove();
            }
            effects.forEach(Runnable::run);
            return result;
        }
    }

    static void afterCommit(Runnable effect) {
        List<Runnable> effects = AFTER_COMMIT.get();
        if (effects != null) {
            effects.add(effect);
        }
    }

    // ---- mail ------------------------------------------------------------------------------------------------------

    /** Sends on the relay thread's own SMTP connection, kept open across mails (connected again when it dropped). */
    void send(MimeMessage m) {
        try {
            Transport t = transports.get();
            if (t == null || !t.isConnected()) {
                t = mail.getTransport("smtp");
                t.connect("127.0.0.1", smtpPort, HUB, HUB);
                transports.set(t);
            }
            m.saveChanges();
            t.sendMessage(m, m.getAllRecipients());
        } catch (MessagingException e) {
            transports.remove();
            throw new IllegalStateException("cannot send " + e.getMessage(), e);
        }
    }

    static MailAttachment pdf(String fileName, Path file) {
        try {
            return new MailAttachment(fileName, "application/pdf", Files.readAllBytes(file));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /**
     * Polls the hub's INBOX like the hub (camel-mail: the folder opened for each poll and closed after it, unread mail,
     * at most 50 a poll), each usable reply completing its task. A folder kept open between polls missed mail that
     * arrived while the previous one was moved out (GreenMail's session view), hence the fresh SELECT each time.
     */
    private void readReplies() throws Exception {
        Store store = mail.getStore("imap");
        store.connect("127.0.0.1", imapPort, HUB, HUB);
        Folder processed = folder(store, "Processed");
        Folder quarantine = folder(store, "Quarantine");
        FlagTerm unread = new FlagTerm(new Flags(Flags.Flag.SEEN), false);
        while (running) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            try {
                Message[] found = inbox.search(unread);
                for (Message m : Arrays.copyOf(found, Math.min(50, found.length))) {
                    try {
                        move(inbox, m, reply((MimeMessage) m) ? processed : quarantine);
                    } catch (Exception e) {
                        e.printStackTrace(); // read again at the next poll
                    }
                }
            } finally {
                inbox.close(true);
            }
            Thread.sleep(pollMillis);
        }
        store.close();
    }

    private static Folder folder(Store store, String name) throws MessagingException {
        Folder f = store.getFolder(name);
        if (!f.exists()) {
            f.create(Folder.HOLDS_MESSAGES);
        }
        return f;
    }

    private static void move(Folder from, Message m, Folder to) throws MessagingException {
        try {
            ((IMAPFolder) from).moveMessages(new Message[] {m}, to);
        } catch (MessagingException noMove) {
            from.copyMessages(new Message[] {m}, to);
            m.setFlag(Flags.Flag.DELETED, true);
        }
    }

    /** A unit's reply: read as the hub reads it, kept raw, its task completed with its fields. False: quarantined. */
    private boolean reply(MimeMessage m) throws Exception {
        MailReading reading = reader.read(m);
        if (!(reading instanceof MailReading.Read read)) {
            return false;
        }
        UnitReply reply = read.reply();
        Optional<TokenRef> ref = tokens.find(reply.subject());
        if (ref.isEmpty() || !(ref.get() instanceof TokenRef.Task token) || !tokens.verify(token)) {
            return false;
        }
        Path raw = Files.createDirectories(dir.resolve("mail").resolve("raw").resolve(token.caseNo()))
                .resolve("T" + token.taskNo() + "-" + UUID.randomUUID() + ".eml");
        try (OutputStream out = Files.newOutputStream(raw)) {
            m.writeTo(out);
        }
        ParsedReply parsed = grammar.parse(reply.body());
        TaskService tasks = engine.getTaskService();
        Task task = tasks.createTaskQuery().processInstanceBusinessKey(token.caseNo())
                .taskVariableValueEquals("taskNo", token.taskNo()).singleResult();
        if (task == null) {
            return false; // TASK_CLOSED or an unknown case
        }
        Map<String, Object> vars = new HashMap<>();
        Map<String, String> fields = new java.util.TreeMap<>();
        parsed.fields().forEach((k, v) -> fields.put(k.name(), v));
        vars.put("reply_" + task.getTaskDefinitionKey(), JSON.writeValueAsString(fields));
        parsed.result().ifPresent(r -> vars.put("result", r.name()));
        parsed.assetTransfer().ifPresent(v -> vars.put("assetTransfer", v));
        if (!reply.attachments().isEmpty()) {
            // the design files, kept with the case before the change that the design review's hand-off attaches them to
            Path files = Files.createDirectories(dir.resolve("mail").resolve("attachments").resolve(token.caseNo()));
            List<String> kept = new ArrayList<>();
            int i = 0;
            for (MailAttachment a : reply.attachments()) {
                Path f = files.resolve((++i) + "-" + a.fileName());
                Files.write(f, a.content(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                        StandardOpenOption.SYNC);
                kept.add(f.toString());
            }
            vars.put("designFiles", String.join("\n", kept));
        }
        inTransition(() -> {
            tasks.complete(task.getId(), vars);
            return null;
        });
        return true;
    }

    static java.util.concurrent.ThreadFactory named(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static <T> T bind(String prefix, Map<String, String> properties, Class<T> type) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate(prefix, type);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> fields(Object json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json.toString(), Map.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
