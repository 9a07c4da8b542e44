package cn.yekuo.hub.quarantine;

import java.util.ArrayList;
import java.util.List;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.MessageIDTerm;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.mailtransport.MailConfiguration;

/**
 * Moves a quarantined message out of the Quarantine folder of the hub's mailbox, found by its Message-ID (a release or
 * an attached mail to Processed, a discarded one to {@code yk.mail.discarded-folder}). Moving never deletes a mail:
 * with the server's MOVE, or copy, flag deleted and expunge these messages alone.
 */
@Component
public class QuarantineFolders {

    private final HubProperties.Mail settings;
    private final String imapUser;
    private final String imapPassword;
    private final MailConfiguration.MailTls tls;

    public QuarantineFolders(HubProperties properties, MailConfiguration.MailTls tls) {
        this.settings = properties.mail();
        this.imapUser = properties.mailEndpoint().user();
        this.imapPassword = properties.mailEndpoint().password();
        this.tls = tls;
    }

    public String quarantine() {
        return settings.quarantineFolder();
    }

    public String processed() {
        return settings.processedFolder();
    }

    public String discarded() {
        return settings.discardedFolder();
    }

    /** @return how many messages were moved (0: no message with this id, not flagged deleted, in {@code from}) */
    public int move(String messageId, String from, String to) throws MessagingException {
        if (messageId == null) {
            return 0;
        }
        String protocol = tls.protocol("imap");
        Session session = Session.getInstance(tls.session("imap", 10_000, 20_000));
        try (Store store = session.getStore(protocol)) {
            store.connect(settings.imapHost(), settings.imapPort(), imapUser, imapPassword);
            Folder source = store.getFolder(from);
            if (!source.exists()) {
                return 0;
            }
            Folder target = store.getFolder(to);
            if (!target.exists()) {
                target.create(Folder.HOLDS_MESSAGES);
            }
            source.open(Folder.READ_WRITE);
            boolean expungeOnClose = false;
            try {
                // the server searches (IMAP SEARCH HEADER is a substring match, so the id is compared exactly here);
                // a message already flagged deleted is on its way out and is not moved again
                Message[] found = source.search(new AndTerm(new MessageIDTerm(messageId),
                        new FlagTerm(new Flags(Flags.Flag.DELETED), false)));
                List<Message> matching = new ArrayList<>();
                for (Message m : found) {
                    String[] ids = m.getHeader("Message-ID");
                    if (ids != null && ids.length > 0 && messageId.equals(ids[0].trim())) {
                        matching.add(m);
                    }
                }
                if (matching.isEmpty()) {
                    return 0;
                }
                Message[] these = matching.toArray(Message[]::new);
                IMAPFolder imap = (IMAPFolder) source;
                IMAPStore server = (IMAPStore) store;
                if (server.hasCapability("MOVE")) {
                    imap.moveMessages(these, target);
                } else {
                    // Angus Mail does not fall back by itself: copy, then expunge these alone (UID EXPUNGE), or without
                    // UIDPLUS every deleted message when the folder closes
                    imap.copyMessages(these, target);
                    imap.setFlags(these, new Flags(Flags.Flag.DELETED), true);
                    if (server.hasCapability("UIDPLUS")) {
                        imap.expunge(these);
                    } else {
                        expungeOnClose = true;
                    }
                }
                return these.length;
            } finally {
                source.close(expungeOnClose);
            }
        }
    }
}
