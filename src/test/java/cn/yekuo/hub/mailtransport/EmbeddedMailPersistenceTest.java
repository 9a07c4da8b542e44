package cn.yekuo.hub.mailtransport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.RunningHub;

/**
 * Issue 22: the embedded mail server keeps every mailbox under the data directory. A second server on the same folder
 * (the hub restarted) serves the same folders, messages, flags and UIDs under the same UIDVALIDITY, over real SMTP
 * and IMAP.
 */
class EmbeddedMailPersistenceTest {

    static final String UNIT = "production@yekuo.local";
    static final String HUB = "hub@yekuo.local";
    static final String CUSTOMER = "lisi@dongjiao-materials.example.cn";

    @TempDir
    Path dataDir;
    final List<EmbeddedMailServer> started = new ArrayList<>();
    MailClient client;

    @AfterEach
    void stopAll() {
        started.forEach(EmbeddedMailServer::stop);
    }

    EmbeddedMailServer start(Map<String, String> extra) {
        int smtp = RunningHub.freePort();
        int imap = RunningHub.freePort();
        Map<String, String> props = new HashMap<>(extra);
        props.put("yk.mail.smtp-port", String.valueOf(smtp));
        props.put("yk.mail.imap-port", String.valueOf(imap));
        HubProperties.Mail mail = new Binder(new MapConfigurationPropertySource(props)).bindOrCreate("yk", HubProperties.class)
                .mail();
        EmbeddedMailServer server = new EmbeddedMailServer(mail, List.of(HUB, UNIT), dataDir.resolve("mail/embedded"));
        server.start();
        started.add(server);
        client = new MailClient(smtp, imap);
        return server;
    }

    EmbeddedMailServer restart(EmbeddedMailServer running) {
        running.stop();
        started.remove(running);
        return start(Map.of());
    }

    @Test
    void mailboxes_folders_messages_flags_and_uids_survive_a_restart() throws Exception {
        EmbeddedMailServer server = start(Map.of());
        for (int i = 1; i <= 3; i++) {
            client.send(HUB, mail(HUB, UNIT, "hand-off " + i));
        }
        client.send(HUB, mail(HUB, CUSTOMER, "contact card"));
        Map<String, Object> before = imap(UNIT, folder -> {
            try {
                IMAPFolder inbox = (IMAPFolder) folder;
                Message[] messages = inbox.getMessages();
                messages[1].setFlag(Flags.Flag.SEEN, true);
                inbox.moveMessages(new Message[] {messages[0]}, inbox.getStore().getFolder("Processed"));
                return Map.of("validity", inbox.getUIDValidity(), "uids", List.of(inbox.getUID(messages[1]),
                        inbox.getUID(messages[2])), "next", inbox.getUIDNext());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "Processed");

        server = restart(server);

        Map<String, Object> after = imap(UNIT, folder -> {
            try {
                IMAPFolder inbox = (IMAPFolder) folder;
                Message[] messages = inbox.getMessages();
                return Map.of("validity", inbox.getUIDValidity(), "uids", List.of(inbox.getUID(messages[0]),
                                inbox.getUID(messages[1])), "next", inbox.getUIDNext(),
                        "seen", List.of(messages[0].isSet(Flags.Flag.SEEN), messages[1].isSet(Flags.Flag.SEEN)),
                        "subjects", List.of(messages[0].getSubject(), messages[1].getSubject()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);
        assertThat(after.get("validity")).as("UIDVALIDITY kept: clients keep their UIDs").isEqualTo(before.get("validity"));
        assertThat(after.get("uids")).isEqualTo(before.get("uids"));
        assertThat(after.get("next")).isEqualTo(before.get("next"));
        assertThat(after.get("seen")).isEqualTo(List.of(true, false));
        assertThat(after.get("subjects")).isEqualTo(List.of("hand-off 2", "hand-off 3"));
        assertThat(client.messages(UNIT, "Processed")).extracting(MimeMessage::getSubject).containsExactly("hand-off 1");
        assertThat(client.inbox(CUSTOMER)).as("a mailbox created by its first mail, login and all")
                .extracting(MimeMessage::getSubject).containsExactly("contact card");

        client.send(HUB, mail(HUB, UNIT, "hand-off 4"));
        long newUid = imap(UNIT, folder -> {
            try {
                IMAPFolder inbox = (IMAPFolder) folder;
                return inbox.getUID(inbox.getMessage(inbox.getMessageCount()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);
        assertThat(newUid).as("a new mail after the restart takes the next UID").isEqualTo((Long) before.get("next"));
    }

    @Test
    void after_expunges_fetch_store_and_uid_commands_number_every_message_by_the_folders_index() throws Exception {
        start(Map.of());
        for (int i = 1; i <= 12; i++) {
            client.send(HUB, mail(HUB, UNIT, "hand-off " + i));
        }
        Map<String, Object> seen = imap(UNIT, folder -> {
            try {
                IMAPFolder inbox = (IMAPFolder) folder;
                for (int n : new int[] {2, 5, 9}) {
                    inbox.getMessage(n).setFlag(Flags.Flag.DELETED, true);
                }
                inbox.expunge();
                List<String> subjects = new ArrayList<>();
                List<Integer> numbersByUid = new ArrayList<>();
                for (Message m : inbox.getMessages()) {
                    subjects.add(m.getSubject());
                    numbersByUid.add(inbox.getMessageByUID(inbox.getUID(m)).getMessageNumber());
                }
                Message[] byUid = inbox.getMessagesByUID(inbox.getUID(inbox.getMessage(4)), inbox.getUID(inbox.getMessage(6)));
                inbox.setFlags(byUid, new Flags(Flags.Flag.FLAGGED), true);
                return Map.of("subjects", subjects, "numbers", numbersByUid, "count", inbox.getMessageCount());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);
        assertThat(seen.get("subjects")).as("FETCH after EXPUNGE: each message under its new sequence number").isEqualTo(List.of(
                "hand-off 1", "hand-off 3", "hand-off 4", "hand-off 6", "hand-off 7", "hand-off 8", "hand-off 10",
                "hand-off 11", "hand-off 12"));
        assertThat(seen.get("numbers")).as("UID FETCH answers with the sequence number of the same message")
                .isEqualTo(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
        List<Boolean> flagged = imap(UNIT, folder -> {
            try {
                List<Boolean> result = new ArrayList<>();
                for (Message m : folder.getMessages()) {
                    result.add(m.isSet(Flags.Flag.FLAGGED));
                }
                return result;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);
        assertThat(flagged).as("UID STORE flagged the 4th to 6th messages after the expunge (hand-offs 6, 7, 8)")
                .containsExactly(false, false, false, true, true, true, false, false, false);

        try (Store watching = client.session().getStore("imap"); Store flagging = client.session().getStore("imap")) {
            watching.connect(UNIT, UNIT);
            flagging.connect(UNIT, UNIT);
            IMAPFolder watched = (IMAPFolder) watching.getFolder("INBOX");
            watched.open(Folder.READ_WRITE);
            Message second = watched.getMessage(2);
            assertThat(second.isSet(Flags.Flag.SEEN)).isFalse();
            Folder other = flagging.getFolder("INBOX");
            other.open(Folder.READ_WRITE);
            other.getMessage(2).setFlag(Flags.Flag.SEEN, true);
            other.close(false);
            watched.doCommand(protocol -> {
                protocol.simpleCommand("NOOP", null);
                return null;
            });
            assertThat(second.isSet(Flags.Flag.SEEN)).as("another session's STORE announced to this one as FETCH FLAGS").isTrue();
            watched.close(false);
        }
    }

    @Test
    void an_expunged_uid_is_not_given_again_after_a_restart() throws Exception {
        EmbeddedMailServer server = start(Map.of());
        client.send(HUB, mail(HUB, UNIT, "one"));
        client.send(HUB, mail(HUB, UNIT, "two"));
        long expunged = imap(UNIT, folder -> {
            try {
                IMAPFolder inbox = (IMAPFolder) folder;
                Message last = inbox.getMessage(2);
                long uid = inbox.getUID(last);
                last.setFlag(Flags.Flag.DELETED, true);
                inbox.expunge();
                return uid;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);
        server = restart(server);
        client.send(HUB, mail(HUB, UNIT, "three"));
        List<Long> uids = imap(UNIT, folder -> {
            try {
                IMAPFolder inbox = (IMAPFolder) folder;
                List<Long> result = new ArrayList<>();
                for (Message m : inbox.getMessages()) {
                    result.add(inbox.getUID(m));
                }
                return result;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);
        assertThat(uids).hasSize(2);
        assertThat(uids.get(1)).isGreaterThan(expunged);
    }

    @Test
    void a_write_a_crash_interrupted_is_dropped_at_start_and_acknowledged_mail_is_a_file() throws Exception {
        EmbeddedMailServer server = start(Map.of());
        client.send(HUB, mail(HUB, UNIT, "acknowledged"));
        Path inbox;
        try (var files = Files.walk(dataDir.resolve("mail/embedded"))) {
            inbox = files.filter(p -> p.getFileName().toString().endsWith(".eml")).findFirst().orElseThrow().getParent();
        }
        assertThat(Files.readString(inbox.resolve(DiskMailStore.FOLDER_FILE))).contains("uidValidity");
        server.stop();
        started.remove(server);
        Files.writeString(inbox.resolve(".tmp-half-written"), "Subject: never acknowledged\r\n");
        start(Map.of());
        assertThat(client.inbox(UNIT)).extracting(MimeMessage::getSubject).containsExactly("acknowledged");
        assertThat(inbox.resolve(".tmp-half-written")).doesNotExist();
    }

    @Test
    void a_second_hub_on_the_same_data_directory_is_refused() {
        start(Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(Map.of()))
                .hasMessageContaining("in use by another hub");
    }

    @Test
    void retention_deletes_processed_mail_older_than_the_setting_and_nothing_else() throws Exception {
        EmbeddedMailServer server = start(Map.of());
        Date old = Date.from(ZonedDateTime.now().minusMonths(7).toInstant());
        imap(HUB, folder -> {
            try {
                Folder processed = folder.getStore().getFolder("Processed");
                processed.create(Folder.HOLDS_MESSAGES);
                processed.appendMessages(new Message[] {receivedAt(mail(UNIT, HUB, "old reply"), old),
                        receivedAt(mail(UNIT, HUB, "recent reply"), new Date())});
                folder.appendMessages(new Message[] {receivedAt(mail(UNIT, HUB, "old but unprocessed"), old)});
                return null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);
        assertThat(server.applyRetention(Period.ofMonths(6))).isEqualTo(1);
        assertThat(client.messages(HUB, "Processed")).extracting(MimeMessage::getSubject).containsExactly("recent reply");
        assertThat(client.inbox(HUB)).extracting(MimeMessage::getSubject).containsExactly("old but unprocessed");
        server = restart(server);
        assertThat(client.messages(HUB, "Processed")).extracting(MimeMessage::getSubject).containsExactly("recent reply");
    }

    private MimeMessage mail(String from, String to, String subject) throws Exception {
        MimeMessage m = new MimeMessage(client.session());
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject, "UTF-8");
        m.setText("正文 " + subject, "UTF-8");
        m.saveChanges();
        return m;
    }

    private static MimeMessage receivedAt(MimeMessage m, Date received) throws Exception {
        return new MimeMessage(m) {
            @Override
            public Date getReceivedDate() {
                return received;
            }
        };
    }

    /** Runs {@code work} on the INBOX of {@code address} opened read-write (creating {@code alsoCreate} first). */
    private <T> T imap(String address, Function<Folder, T> work, String alsoCreate) throws Exception {
        try (Store store = client.session().getStore("imap")) {
            store.connect(address, address);
            if (alsoCreate != null && !store.getFolder(alsoCreate).exists()) {
                store.getFolder(alsoCreate).create(Folder.HOLDS_MESSAGES);
            }
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            try {
                return work.apply(inbox);
            } finally {
                inbox.close(true);
            }
        }
    }
}
