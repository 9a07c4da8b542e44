package cn.yekuo.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the hub is configured with under {@code yk.*}; each value can be set by an environment
 * variable ({@code yk.broker.url} = {@code YK_BROKER_URL}). Defaults are the embedded mode of docs/contract.md §5.
 */
@ConfigurationProperties(prefix = "yk")
public record HubProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("Asia/Shanghai") String businessZone,
        @DefaultValue Broker broker,
        @DefaultValue Intake intake,
        @DefaultValue Outbox outbox,
        @DefaultValue({"dongjiao", "xijiao", "chengqu"}) List<String> supplyStations,
        @DefaultValue Security security,
        @DefaultValue Mail mail,
        @DefaultValue Documents documents) {

    /** {@code yk.data-dir} made absolute against the working directory, as {@link DataDirectory} publishes it. */
    public Path dataDirAbsolute() {
        return dataDir.toAbsolutePath().normalize();
    }

    public java.time.ZoneId businessZoneId() {
        return java.time.ZoneId.of(businessZone);
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
            @DefaultValue("1048576") long maxMessageBytes) {
    }

    /** Reading billing messages. */
    public record Intake(
            /* false keeps billing messages waiting on their queues (maintenance) */
            @DefaultValue("true") boolean enabled,
            @DefaultValue("2") int consumers,
            @DefaultValue("262144") int maxMessageBytes,
            /* deliveries of a message failing for a non-transient reason before it is dead-lettered */
            @DefaultValue("5") int maxFailedDeliveries) {
    }

    /** Publishing the outbox after commit. */
    public record Outbox(
            @DefaultValue("true") boolean enabled,
            /* the relay's safety-net poll: commits wake it at once */
            @DefaultValue("1000") long pollMillis,
            @DefaultValue("500") int batchSize) {
    }

    /**
     * Mail with the units and customers: the embedded GreenMail server by default (SMTP 3025, IMAP 3143, every
     * address a mailbox whose login and password are the address), or real servers when {@code embedded=false}.
     */
    public record Mail(
            @DefaultValue("true") boolean embedded,
            @DefaultValue("127.0.0.1") String smtpHost,
            @DefaultValue("3025") int smtpPort,
            @DefaultValue("127.0.0.1") String imapHost,
            @DefaultValue("3143") int imapPort,
            /* SMTPS/IMAPS instead of plain ports (real servers) */
            @DefaultValue("false") boolean ssl,
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
            /* attempts of one mail before it is dead-lettered (a recipient's 5xx refusal dead-letters at once) */
            @DefaultValue("8") int relayMaxAttempts,
            /* wait after a mail's first failed attempt, doubled after each further one up to relay-max-backoff */
            @DefaultValue("30s") Duration relayBackoff,
            @DefaultValue("1h") Duration relayMaxBackoff,
            @DefaultValue("Processed") String processedFolder,
            @DefaultValue("Quarantine") String quarantineFolder,
            /* embedded mail server only: mail of each mailbox's processed folder older than this is deleted (daily,
               e.g. 6m or P1Y); unset keeps it all */
            Period embeddedRetention,
            @DefaultValue("10485760") long maxAttachmentBytes,
            /* checked against the server's size (IMAP RFC822.SIZE) before the mail is downloaded */
            @DefaultValue("26214400") long maxMailBytes,
            /* a longer decoded subject is quarantined before its tokens are looked for */
            @DefaultValue("2000") int maxSubjectChars,
            /* header fields per mail */
            @DefaultValue("500") int maxHeaders,
            /* bytes of the text/plain or text/html body read and parsed */
            @DefaultValue("1048576") long maxBodyBytes,
            /* multiparts nested in one another, and body parts in all, per mail; more is quarantined MIME_TOO_COMPLEX */
            @DefaultValue("8") int maxMimeDepth,
            @DefaultValue("100") int maxParts,
            /* reading one mail (MIME, HTML, grammar) takes at most this long, else it is quarantined */
            @DefaultValue("10s") Duration readBudget,
            /* a mail whose handling fails this many times (not an outage) is quarantined as poison */
            @DefaultValue("3") int maxAttempts,
            /* optional check of the receiving server's Authentication-Results for unit senders (RFC 8601) */
            @DefaultValue AuthResults authResults,
            /* forged-token quarantines from one sender that raise one alert to the representatives */
            @DefaultValue ForgeryAlert forgeryAlert,
            /* a reply answers at its arrival (IMAP INTERNALDATE, Date); false: when the hub reads it */
            @DefaultValue("true") boolean timeRepliesByArrival) {

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
        public record ForgeryAlert(@DefaultValue("3") int threshold, @DefaultValue("24h") Duration window) {
        }

        /** An address and the senders allowed to answer for that unit (empty list = the address only). */
        public record UnitMailbox(String address, List<String> allowList) {
        }
    }

    /** Users of the HTTP API and dashboard; a password may be given hashed as {bcrypt}…. */
    public record Security(@DefaultValue List<User> users, @DefaultValue LoginThrottle loginThrottle) {
        public record User(String name, String password, @DefaultValue("VIEWER") String role) {
        }

        /** Failed logins: so many for one user (or more for one address) within the window refuse logins for a while. */
        public record LoginThrottle(
                @DefaultValue("5") int maxFailures,
                @DefaultValue("20") int maxFailuresPerAddress,
                @DefaultValue("5m") Duration window,
                @DefaultValue("5m") Duration lockout) {
        }
    }

    /**
     * The customer documents (docs/contract.md §3): the supply company and the customer representative printed on them,
     * contract terms, whether they are mailed, and the Chinese fonts they are set in.
     */
    public record Documents(
            @DefaultValue("国网杭州供电公司东郊供电分公司") String companyName,
            @DefaultValue("杭州市东郊区供电路1号") String companyAddress,
            @DefaultValue("95598") String hotline,
            @DefaultValue Representative representative,
            /* term of the power supply and use contract, years */
            @DefaultValue("5") int contractTermYears,
            @DefaultValue("按月抄表结算，用电人于每月25日前交清当月电费") String settlement,
            /* false: documents are generated and archived but not mailed to the customer */
            @DefaultValue("true") boolean mailCustomers,
            @DefaultValue Fonts fonts,
            /* one document's layout is abandoned after this; the document fails and is tried again later */
            @DefaultValue("60s") Duration renderTimeout,
            /* attempts of one requested intake document before it is set aside with a notice to the representatives */
            @DefaultValue("8") int issueMaxAttempts,
            /* wait after a request's first failed attempt, doubled after each further one up to issue-max-backoff */
            @DefaultValue("30s") Duration issueBackoff,
            @DefaultValue("1h") Duration issueMaxBackoff) {

        /** The customer representative (客户代表) whose contacts the documents give. */
        public record Representative(
                @DefaultValue("王敏") String name,
                @DefaultValue("0571-86000000") String phone,
                @DefaultValue("rep@yekuo.local") String email) {
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
