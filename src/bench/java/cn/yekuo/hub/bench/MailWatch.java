package cn.yekuo.hub.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.store.FolderListener;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;

import cn.yekuo.hub.mailtransport.EmbeddedMailServer;
import cn.yekuo.hub.support.RunningHub;

/**
 * Tells which case a mail was for the moment the hub's embedded mail server has stored it (after its fsyncs, before
 * SMTP answers 250): listens on the recipients' inboxes and reads the case number from the subject. The same watch
 * serves the hub and the same-work ceiling, whose mails go to the same mailboxes of the same server.
 */
final class MailWatch implements AutoCloseable {

    private static final Pattern CASE_NO = Pattern.compile("YK-\\d{4}-\\d{6}");

    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bench-mail-watch");
        t.setDaemon(true);
        return t;
    });
    private final List<Runnable> detach = new ArrayList<>();
    private volatile Consumer<String> sink = caseNo -> { };

    MailWatch(RunningHub hub, Collection<String> addresses) throws Exception {
        var managers = hub.bean(EmbeddedMailServer.class).greenMail().getManagers();
        for (String address : addresses) {
            GreenMailUser user = managers.getUserManager().getUserByEmail(address);
            if (user == null) {
                throw new IllegalStateException("no mailbox " + address + " on the hub's mail server yet");
            }
            MailFolder inbox = managers.getImapHostManager().getInbox(user);
            FolderListener listener = new FolderListener() {
                @Override
                public void added(int msn) {
                    reader.execute(() -> read(inbox, msn));
                }

                @Override
                public void expunged(int msn) {
                }

                @Override
                public void flagsUpdated(int msn, jakarta.mail.Flags flags, Long uid) {
                }

                @Override
                public void mailboxDeleted() {
                }
            };
            inbox.addListener(listener);
            detach.add(() -> inbox.removeListener(listener));
        }
    }

    /** Where the case numbers of stored mails go from now on. */
    void to(Consumer<String> caseNos) {
        this.sink = caseNos;
    }

    private void read(MailFolder inbox, int msn) {
        try {
            long[] uids = inbox.getMessageUids();
            String subject = inbox.getMessage(uids[msn - 1]).getMimeMessage().getSubject();
            Matcher m = CASE_NO.matcher(subject == null ? "" : subject);
            if (m.find()) {
                sink.accept(m.group());
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    @Override
    public void close() {
        detach.forEach(Runnable::run);
        reader.shutdownNow();
    }
}
