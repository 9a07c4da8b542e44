package cn.yekuo.hub.support;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * A GreenMail whose SMTP server answers RCPT TO for some addresses with a reply of the test's choosing (e.g. {@code 550}
 * or {@code 451}) and counts every RCPT per address; every other address is a mailbox as usual.
 */
public final class RefusingMailServer extends GreenMail {

    private final Map<String, String> refusals;
    private final Map<String, AtomicInteger> recipients = new ConcurrentHashMap<>();

    public RefusingMailServer(int smtpPort, int imapPort, Map<String, String> refusals) {
        super(new ServerSetup[] {
                new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        this.refusals = Map.copyOf(refusals);
        // GreenMail keeps these managers when it starts (init() only makes them when there are none)
        this.managers = new Managers() {
            private final SmtpManager refusing = new SmtpManager(getImapHostManager(), getUserManager()) {
                @Override
                public String checkRecipient(SmtpState state, MailAddress rcpt) {
                    String address = rcpt.getEmail().toLowerCase(Locale.ROOT);
                    recipients.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
                    return RefusingMailServer.this.refusals.get(address);
                }
            };

            @Override
            public SmtpManager getSmtpManager() {
                return refusing;
            }
        };
    }

    /** How many times the server was asked to take a mail for the address (RCPT TO), accepted or not. */
    public int rcptCount(String address) {
        AtomicInteger n = recipients.get(address.toLowerCase(Locale.ROOT));
        return n == null ? 0 : n.get();
    }
}
