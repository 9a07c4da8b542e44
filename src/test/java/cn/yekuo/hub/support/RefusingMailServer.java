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
 * or {@code 451}) and counts every RCPT per address, and can refuse every sender (MAIL FROM) for a while; every other
 * address is a mailbox as usual.
 */
public final class RefusingMailServer extends GreenMail {

    private final Map<String, String> refusals;
    private final Map<String, AtomicInteger> recipients = new ConcurrentHashMap<>();
    private final AtomicInteger senderRefusals = new AtomicInteger();
    private volatile String senderRefusal;

    public RefusingMailServer(int smtpPort, int imapPort, Map<String, String> refusals) {
        super(new ServerSetup[] {
                new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        this.refusals = Map.copyOf(refusals);
        // GreenMail keeps these managers when it starts (init() only makes them when there are none)
        this.managers = new Managers() {
            private final SmtpManager refusing = new SmtpManager(getImapHostManager(), getUserManager()) {
                @Override
                public String checkSender(SmtpState state, MailAddress sender) {
                    String refusal = senderRefusal;
                    if (refusal != null) {
                        senderRefusals.incrementAndGet();
                        return refusal;
                    }
                    return super.checkSender(state, sender);
                }

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

    /** From now on MAIL FROM is answered with this reply (e.g. a sending quota's {@code 550 5.4.5}); null accepts again. */
    public void refuseSenders(String reply) {
        this.senderRefusal = reply;
    }

    /** How many times MAIL FROM was refused. */
    public int senderRefusals() {
        return senderRefusals.get();
    }
}
