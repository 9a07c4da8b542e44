package cn.yekuo.hub.replies;

import static cn.yekuo.hub.replies.MailFixtures.PRODUCTION;
import static cn.yekuo.hub.replies.MailFixtures.awaitHandoff;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.MailClient;
import cn.yekuo.hub.support.TestPorts;

/** Set-up of the reply tests on the shared hub: each test gets a new case and its first hand-off (production, T1). */
public abstract class NewCaseWithHandoff {

    public final MailClient mail = MailClient.ofTestHub();
    BillingClient billing;
    public String caseNo;
    public MimeMessage t1;

    @Autowired
    public JdbcTemplate jdbc;

    @BeforeEach
    void newCase() {
        billing = new BillingClient(TestPorts.BROKER_URL);
        caseNo = MailFixtures.newCase(billing, jdbc)[1];
        t1 = awaitHandoff(mail, PRODUCTION, caseNo, 1);
    }

    @AfterEach
    void closeBilling() {
        billing.close();
    }
}
