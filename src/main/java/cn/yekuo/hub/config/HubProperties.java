package cn.yekuo.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the hub is configured with under {@code yk.*}, the one place it is read from; each value can be set by an
 * environment variable ({@code yk.broker.url} = {@code YK_BROKER_URL}). Defaults are the embedded mode of
 * docs/contract.md §5. A key under {@code yk.} that binds to nothing here stops the start naming the key (Spring's
 * unknown-field check; {@link UnknownKeys} for environment variables and system properties), so that a misspelt
 * setting is never silently replaced by its default.
 */
@Validated
@ConfigurationProperties(prefix = "yk", ignoreUnknownFields = false)
public record HubProperties(
        @DefaultValue("./data") @NotNull Path dataDir,
        /* derived: yk.data-dir made absolute (DataDirectory publishes it for the H2 URL); not set by hand */
        Path dataDirAbsolute,
        /* the business time zone of every date, deadline, day boundary and monthly run (docs/contract.md §1) */
        @DefaultValue("Asia/Shanghai") @NotNull ZoneId businessZone,
        @DefaultValue @Valid Broker broker,
        @DefaultValue @Valid Intake intake,
        @DefaultValue @Valid Outbox outbox,
        @DefaultValue @Valid H2 h2,
        @DefaultValue({"dongjiao", "xijiao", "chengqu"}) List<@NotBlank String> supplyStations,
        @DefaultValue @Valid Security security,
        /* the customer representatives (客户代表), one named per case (issue 17): checked at start by cases/Roster */
        @DefaultValue List<@Valid Representative> representatives,
        @DefaultValue @Valid Mail mail,
        /* derived from yk.mail.* by MailEnvironment for the mail routes' endpoint URIs; not set by hand */
        @DefaultValue MailEndpoint mailEndpoint,
        @DefaultValue @Valid Documents documents,
        @DefaultValue @Valid Deadlines deadlines,
        @DefaultValue @Valid Assessment assessment,
        @DefaultValue @Valid Monthly monthly,
        @DefaultValue Time time,
        @DefaultValue Routes routes,
        @DefaultValue @Valid Web web,
        @DefaultValue Health health,
        @DefaultValue Demo demo,
        @DefaultValue @Valid Files files,
        /* the customers' status page /status/{token} (issue 20): its links in the customer mails, their expiry */
        @DefaultValue @Valid Status status,
        /* prod profile: a folder of secrets, one file per key named after it (Spring's configtree, e.g.
           yk.broker.password); read by application-prod.yaml's spring.config.import */
        @DefaultValue("/run/secrets/") String secretsDir,
        /* yk.test.*: settings of the test suite, read by tests only */
        Map<String, String> test) {

    public HubProperties {
        // always from yk.data-dir as bound: a data directory set after start-up's publication (a test's dynamic
        // property) must not leave the mail store, raw mails and token secret in another hub's directory
        if (dataDir != null) {
            dataDirAbsolute = dataDir.toAbsolutePath().normalize();
        }
    }

    /**
     * The mail relay's threads: {@code yk.mail.relay-threads}, or unset as many as intake consumers (each accepted
     * application makes three mails: with fewer relay threads than consumers the relay falls behind), 2 to 4.
     */
    public int mailRelayThreads() {
        Integer set = mail().relayThreads();
        return set != null ? set : Math.max(2, Math.min(4, intake().consumers()));
    }

    /** The routes' view of the hub's mailbox (yk.mail-endpoint.*, derived from yk.mail.* before the routes start). */
    public record MailEndpoint(String user, String password, String imap, String smtp, Boolean imapStarttls,
                               Boolean smtpStarttls, Long pollMillis, Long relayMillis,
                               /* the unit-replies consumer's scheduler: none (camel-mail's own) or the clustered one */
                               String readerScheduler) {
    }

    /** The deadline watcher (routes/deadlines.yaml). */
    public record Deadlines(
            /* false stops the watcher on this hub (another hub of the cluster still fires it) */
            @DefaultValue("true") boolean enabled,
            /* Quartz cron, seconds first */
            @DefaultValue("0 * * * * ?") @NotBlank String cron,
            /* clocks handled per query page */
            @DefaultValue("500") @Positive int batchSize,
            /* 1: each clock in its own transaction; n > 1: n clocks per transaction, each in a savepoint */
            @DefaultValue("1") @Positive int nodesPerTransaction,
            /* Quartz cron of the daily scheme-validity check (warning 30 days before, a new scheme after) */
            @DefaultValue("0 15 8 * * ?") @NotBlank String schemeValidityCron) {
    }

    /** The economic-responsibility assessment (经济责任制考核). */
    public record Assessment(
            /* how many working days back a representative may date a pause for the customer (0: never back-dated); the
               points per entry are values of the time-limit table (deduction, nonCooperationDeduction), not keys here */
            @DefaultValue("3") @jakarta.validation.constraints.PositiveOrZero @jakarta.validation.constraints.Max(31) int backdateWindowDays) {
    }

    /** The monthly duties (routes/monthly.yaml): return-visit plans, silence check and summary, assessment report. */
    public record Monthly(
            @DefaultValue("true") boolean enabled,
            /* Quartz crons (seconds first) in yk.business-zone */
            @DefaultValue("0 0 8 1 * ?") @NotBlank String planCron,
            @DefaultValue("0 0 8 1 * ?") @NotBlank String assessmentCron,
            @DefaultValue("0 30 8 * * ?") @NotBlank String checkCron,
            /* at start, produce this month's plans/report if their time has passed and they were not produced */
            @DefaultValue("true") boolean catchUp) {
    }

    /** The working-day calendar and the time-limit rules. */
    public record Time(
            /* a folder of <year>.yaml holiday files that replace or add years; blank: the built-in ones */
            @DefaultValue("") String calendarDir,
            /* a YAML rule table replacing timelimits/default.yaml; blank: the built-in one */
            @DefaultValue("") String rulesFile) {
    }

    /** Where Camel reads the routes ({@link RoutesLocation}). */
    public record Routes(
            /* a folder of Camel YAML routes used instead of the packaged ones; unset: the packaged ones */
            String dir) {
    }

    /** The HTTP side. */
    public record Web(
            /* every HTTP request body (API JSON, dashboard forms) is refused above this size (413) */
            @DefaultValue("65536") @Positive long maxRequestBytes) {
    }

    /** The health endpoint. */
    public record Health(
            /* font files the fonts health check looks for */
            @DefaultValue({"/usr/share/fonts/truetype/arphic/uming.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"})
            List<String> fonts) {
    }

    /** Where the files the hub reads back later are kept (documents, raw mails, attachments, outgoing mail files). */
    public record Files(
            /* disk: under yk.data-dir (one node); database: table stored_file, seen by every node (a cluster) */
            @DefaultValue("disk") @NotNull FileStore store) {

        public enum FileStore { DISK, DATABASE }
    }

    /** The customers' status page (docs/contract.md §4.10): no login, one case per HMAC-signed link. */
    public record Status(
            /* the links' HMAC-SHA256 key, the same on every node; unset: one generated once and kept in the database
               (table status_secret, with a warning); required by prod */
            String secret,
            /* a link stays valid this long after its case is closed (or ends as not eligible or withdrawn) */
            @DefaultValue("P90D") @NotNull Duration validAfterClose,
            /* the address customers reach the hub at, before /status/{token} in the mails */
            @DefaultValue("http://127.0.0.1:8080") @NotBlank String baseUrl,
            /* requests per minute and client address to /status/**, beyond which 429 with Retry-After */
            @DefaultValue("30") @Positive int requestsPerMinute) {

        @Override
        public String toString() {
            // the secret never reaches a log line
            return "Status[secret=" + (secret == null || secret.isBlank() ? "(generated)" : "***") + ", validAfterClose="
                    + validAfterClose + ", baseUrl=" + baseUrl + ", requestsPerMinute=" + requestsPerMinute + "]";
        }
    }

    /** The demo profile's simulated billing system and units. */
    public record Demo(
            /* how long a simulated unit or the billing system takes to answer */
            @DefaultValue("3s") Duration replyDelay) {
    }

    /** The JMS broker: the hub's own embedded Artemis, or an external one when {@code embedded=false}. */
    public record Broker(
            @DefaultValue("true") boolean embedded,
            /* where billing connects to the embedded broker (multi-protocol acceptor) */
            @DefaultValue("tcp://127.0.0.1:61616?protocols=CORE,AMQP,STOMP,OPENWIRE") String acceptor,
            /* the external broker's URL, used when embedded=false */
            @DefaultValue("tcp://127.0.0.1:61616") String url,
            /* the hub's own broker account; in embedded mode an unset password is generated at start */
            @DefaultValue("hub") String user,
            String password,
            @DefaultValue("billing") String billingUser,
            @DefaultValue("billing") String billingPassword,
            /* broker-side redelivery backoff for rolled-back billing messages */
            @DefaultValue("1s") Duration redeliveryDelay,
            @DefaultValue("10s") Duration maxRedeliveryDelay,
            /* the embedded broker refuses at the send a message to billing's queues larger than this (encoded size) */
            @DefaultValue("1048576") @Positive long maxMessageBytes) {
    }

    /** Reading billing messages. */
    public record Intake(
            /* false keeps billing messages waiting on their queues (maintenance) */
            @DefaultValue("true") boolean enabled,
            @DefaultValue("2") @Positive int consumers,
            @DefaultValue("262144") @Positive int maxMessageBytes,
            /* deliveries of a message failing for a non-transient reason before it is dead-lettered */
            @DefaultValue("5") @Positive int maxFailedDeliveries) {
    }

    /** Publishing the outbox after commit. */
    public record Outbox(
            @DefaultValue("true") boolean enabled,
            /* the relay's safety-net poll: commits wake it at once */
            @DefaultValue("1000") @Positive long pollMillis,
            @DefaultValue("500") @Positive int batchSize,
            /* how long a relay's claim on outbox rows lasts: rows claimed by a node that died are sent by another
               after this (longer than the slowest send of a batch) */
            @DefaultValue("60s") @NotNull Duration claimLease) {
    }

    /** The embedded H2 database (the default without a PostgreSQL URL). */
    public record H2(
            /* how often its file is compacted (H2StoreHousekeeping: H2 does not with WRITE_DELAY=0); 0 never */
            @DefaultValue("5s") @NotNull Duration housekeepingInterval) {
    }

    /**
     * Mail with the units and customers: the embedded GreenMail server by default (SMTP 3025, IMAP 3143, every
     * address a mailbox whose login and password are the address), or real servers when {@code embedded=false}.
     */
    public record Mail(
            @DefaultValue("true") boolean embedded,
            @DefaultValue("127.0.0.1") String smtpHost,
            @DefaultValue("3025") @Min(1) @Max(65535) int smtpPort,
            @DefaultValue("127.0.0.1") String imapHost,
            @DefaultValue("3143") @Min(1) @Max(65535) int imapPort,
            /* shorthand of the older configuration: true = smtp-security and imap-security tls where they are unset */
            @DefaultValue("false") boolean ssl,
            /* how the SMTP connection is protected: none, starttls (port 587) or tls (implicit, port 465); unset:
               tls when ssl=true, else none */
            Security smtpSecurity,
            /* how the IMAP connection is protected: none, starttls (port 143) or tls (IMAPS, port 993) */
            Security imapSecurity,
            /* a PKCS12 (or JKS) trust store of the mail servers' certificates; unset: the JVM's trusted CAs */
            String trustStore,
            String trustStorePassword,
            @DefaultValue("hub@yekuo.local") String hubAddress,
            /* login of the hub's mailbox; defaults to its address */
            String hubUser,
            /* password of the hub's mailbox; in embedded mode it is the address itself */
            String hubPassword,
            /* HMAC secret of the hand-off tokens; must be set outside the embedded default */
            String tokenSecret,
            /* domain of the default addresses: <unit>@domain, reps@domain, station-<code>@domain */
            @DefaultValue("yekuo.local") String domain,
            /* per unit code (production, marketing, construction, customer-center, assessment): address and
               allow-list; unset parts default to <code>@domain allowed to answer for itself */
            Map<String, UnitMailbox> units,
            /* the customer representatives: quarantine notices and deadline notices go here */
            String repsAddress,
            /* per supply station code: its address (default station-<code>@domain) */
            Map<String, String> stations,
            /* false leaves the hub's mailbox unread (maintenance) */
            @DefaultValue("true") boolean readReplies,
            /* how often the hub's mailbox is polled */
            @DefaultValue("5s") Duration pollInterval,
            /* how often mails waiting in the outbox are tried when no commit woke the relay (also the retry
               interval while SMTP is down) */
            @DefaultValue("1s") Duration relayInterval,
            /* mails per relay run; a full run runs again at once */
            @DefaultValue("50") @Positive int relayBatch,
            /* cases whose mails are sent at the same time (each case's in creation order), each over its own SMTP
               connection and on a database connection; the server's storing of each mail is what one thread waits for.
               Unset: as many as yk.intake.consumers, at least 2 (HubProperties.mailRelayThreads) */
            @Positive @Max(4) Integer relayThreads,
            /* attempts of one mail before it is dead-lettered (a recipient's 5xx refusal dead-letters at once) */
            @DefaultValue("8") @Positive int relayMaxAttempts,
            /* wait after a mail's first failed attempt, doubled after each further one up to relay-max-backoff */
            @DefaultValue("30s") Duration relayBackoff,
            @DefaultValue("1h") Duration relayMaxBackoff,
            @DefaultValue("Processed") String processedFolder,
            @DefaultValue("Quarantine") String quarantineFolder,
            /* where a representative's discarded quarantined mail goes (kept, never deleted by the hub: issue 21) */
            @DefaultValue("Discarded") String discardedFolder,
            /* embedded mail server only: mail of each mailbox's processed folder older than this is deleted (daily,
               e.g. 6m or P1Y); unset keeps it all */
            Period embeddedRetention,
            @DefaultValue("10485760") @Positive long maxAttachmentBytes,
            /* checked against the server's size (IMAP RFC822.SIZE) before the mail is downloaded */
            @DefaultValue("26214400") @Positive long maxMailBytes,
            /* a longer decoded subject is quarantined before its tokens are looked for */
            @DefaultValue("2000") @Positive int maxSubjectChars,
            /* header fields per mail */
            @DefaultValue("500") @Positive int maxHeaders,
            /* bytes of the text/plain or text/html body read and parsed */
            @DefaultValue("1048576") @Positive long maxBodyBytes,
            /* multiparts nested in one another, and body parts in all, per mail; more is quarantined MIME_TOO_COMPLEX */
            @DefaultValue("8") @Positive int maxMimeDepth,
            @DefaultValue("100") @Positive int maxParts,
            /* reading one mail (MIME, HTML, grammar) takes at most this long, else it is quarantined */
            @DefaultValue("10s") Duration readBudget,
            /* a mail whose handling fails this many times (not an outage) is quarantined as poison */
            @DefaultValue("3") @Positive int maxAttempts,
            /* optional check of the receiving server's Authentication-Results for unit senders (RFC 8601) */
            @DefaultValue @Valid AuthResults authResults,
            /* forged-token quarantines from one sender that raise one alert to the representatives */
            @DefaultValue @Valid ForgeryAlert forgeryAlert,
            /* a reply answers at its arrival (IMAP INTERNALDATE, Date); false: when the hub reads it */
            @DefaultValue("true") boolean timeRepliesByArrival,
            /* local: this node polls the mailbox every poll-interval (one node); cluster: each poll is a firing of
               the clustered Quartz job store, so one node of the cluster reads at a time (docs/mail.md) */
            @DefaultValue("local") @NotNull Reader reader) {

        /** Who polls the hub's mailbox. */
        public enum Reader { LOCAL, CLUSTER }

        public Mail {
            if (smtpSecurity == null) {
                smtpSecurity = ssl ? Security.TLS : Security.NONE;
            }
            if (imapSecurity == null) {
                imapSecurity = ssl ? Security.TLS : Security.NONE;
            }
        }

        /** How a connection to a mail server is protected. */
        public enum Security {
            /** plain text: the embedded server, or a server on the same machine */
            NONE,
            /** a plain connection upgraded to TLS before the login; refused if the server does not offer it */
            STARTTLS,
            /** TLS from the first byte (SMTPS, IMAPS) */
            TLS
        }

        /** The login of the hub's mailbox: {@code hub-user}, else its address. */
        public String hubLogin() {
            return hubUser == null || hubUser.isBlank() ? hubAddress : hubUser;
        }

        /**
         * @param enabled    when true a unit's reply needs spf=pass or dkim=pass and no dmarc=fail in the topmost
         *                   Authentication-Results header written by {@code authservId}
         * @param authservId the authserv-id of the hub's receiving mail server, e.g. {@code mx.yekuo.local}
         */
        public record AuthResults(@DefaultValue("false") boolean enabled, String authservId) {
        }

        /** {@code threshold} forged-token quarantines from one sender within {@code window}: one alert mail. */
        public record ForgeryAlert(@DefaultValue("3") @Positive int threshold, @DefaultValue("24h") Duration window) {
        }

        /** An address and the senders allowed to answer for that unit (empty list = the address only). */
        public record UnitMailbox(String address, List<String> allowList) {
        }
    }

    /**
     * A customer representative (客户代表) of the roster: the documents of their cases give their contacts, the notices
     * of their cases go to their e-mail.
     *
     * @param stations the supply stations (codes as the cases carry them) whose new cases they take first
     * @param user     their login of yk.security.users (the dashboard's "my cases")
     * @param lead     a team lead sees every representative's cases on "my day"
     */
    public record Representative(String id, String name, String phone, String email,
                                 @DefaultValue List<String> stations, String user,
                                 @DefaultValue("false") boolean lead) {
    }

    /** Users of the HTTP API and dashboard; a password may be given hashed as {bcrypt}…. */
    public record Security(@DefaultValue List<User> users, @DefaultValue @Valid LoginThrottle loginThrottle) {
        public record User(String name, String password, @DefaultValue("VIEWER") String role) {
        }

        /** Failed logins: so many for one user (or more for one address) within the window refuse logins for a while. */
        public record LoginThrottle(
                @DefaultValue("5") @Positive int maxFailures,
                @DefaultValue("20") @Positive int maxFailuresPerAddress,
                @DefaultValue("5m") Duration window,
                @DefaultValue("5m") Duration lockout) {
        }
    }

    /**
     * The customer documents (docs/contract.md §3): the supply company printed on them (the representative is the case's, yk.representatives),
     * contract terms, whether they are mailed, and the Chinese fonts they are set in.
     */
    public record Documents(
            @DefaultValue("国网杭州供电公司东郊供电分公司") String companyName,
            @DefaultValue("杭州市东郊区供电路1号") String companyAddress,
            @DefaultValue("95598") String hotline,
            /* term of the power supply and use contract, years */
            @DefaultValue("5") @Positive int contractTermYears,
            @DefaultValue("按月抄表结算，用电人于每月25日前交清当月电费") String settlement,
            /* false: documents are generated and archived but not mailed to the customer */
            @DefaultValue("true") boolean mailCustomers,
            /* the document-issuer route (intake documents after commit): woken by commits, issuer-millis is its poll */
            @DefaultValue("true") boolean issuerEnabled,
            @DefaultValue("1000") @Positive long issuerMillis,
            /* requests per run; a full run runs again at once */
            @DefaultValue("20") @Positive int issuerBatch,
            /* cases whose requests are issued at the same time (each case's in request order), each on a database connection;
               at most the renderer's 4 layout threads, more would only wait for them */
            @DefaultValue("2") @Positive @Max(4) int issuerThreads,
            @DefaultValue Fonts fonts,
            /* one document's layout is abandoned after this; the document fails and is tried again later */
            @DefaultValue("60s") Duration renderTimeout,
            /* attempts of one requested intake document before it is set aside with a notice to the representatives */
            @DefaultValue("8") @Positive int issueMaxAttempts,
            /* wait after a request's first failed attempt, doubled after each further one up to issue-max-backoff */
            @DefaultValue("30s") Duration issueBackoff,
            @DefaultValue("1h") Duration issueMaxBackoff,
            @DefaultValue Seal seal) {

        /**
         * The electronic seal (电子签章) every customer document is signed with (PAdES-B, docs/contract.md §3): a key and
         * its certificate chain in a PKCS#12 file. No keystore: the embedded default generates a self-signed key once
         * into {@code <data-dir>/seal/} and warns at start; the prod profile refuses to start without a keystore.
         */
        public record Seal(
                /* the PKCS#12 file (.p12/.pfx) holding the seal's private key and certificate chain */
                Path keystore,
                /* its password (YK_DOCUMENTS_SEAL_PASSWORD or YK_DOCUMENTS_SEAL_PASSWORD_FILE) */
                String password,
                /* the key entry to use; empty: the keystore's only key entry */
                String alias) {
        }

        /**
         * Font files, each {@code <path>#<face>} (the face names one font of a {@code .ttc} collection), tried
         * before the built-in locations for Debian/Ubuntu, RHEL, Windows and macOS; {@code use-defaults=false}
         * tries only the configured ones.
         */
        public record Fonts(
                @DefaultValue List<String> body,
                @DefaultValue List<String> heading,
                @DefaultValue("true") boolean useDefaults) {
        }
    }
}
