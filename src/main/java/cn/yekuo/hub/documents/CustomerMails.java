package cn.yekuo.hub.documents;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.mail.MailMessages;
import cn.yekuo.hub.mail.OutgoingMail;

/**
 * The mail that carries a document to the customer (docs/contract.md §3), written to the outbox at transition time
 * with the archived PDF referenced by id: subject {@code 【业扩报装】<title> <caseNo>}, a short Chinese body, the
 * PDF attached as {@code <caseNo>-<title>.pdf} with an RFC 2231 file name.
 */
@Component("customerMails")
public class CustomerMails {

    private final HubProperties hub;
    private final MailMessages messages;

    public CustomerMails(HubProperties hub, MailMessages messages) {
        this.hub = hub;
        this.messages = messages;
    }

    /** The outbox payload of {@link #compose}. */
    public String payload(String to, String customerName, String caseNo, ArchivedDocument document, OffsetDateTime at) {
        return messages.toPayload(compose(to, customerName, caseNo, document, at));
    }

    /** {@code <caseNo>-<document title>.pdf}. */
    public static String fileName(String caseNo, DocumentType type) {
        return caseNo + "-" + type.title() + ".pdf";
    }

    public static String subject(String caseNo, DocumentType type) {
        return "【业扩报装】" + type.title() + " " + caseNo;
    }

    /**
     * The mail as the outbox keeps it: the archived document referenced by id, read and checked against its SHA-256
     * by the mail relay when it sends the mail (issue 15: no attachment bytes in an outbox payload).
     */
    public OutgoingMail compose(String to, String customerName, String caseNo, ArchivedDocument document, OffsetDateTime at) {
        HubProperties.Documents d = hub.documents();
        String replyTo = d.representative().email();
        List<String> replyTos = replyTo == null || replyTo.isBlank() ? List.of() : List.of(replyTo);
        OutgoingMail.Attachment pdf = new OutgoingMail.Attachment(OutgoingMail.Source.DOCUMENT, document.id(),
                fileName(caseNo, document.type()), "application/pdf", document.size());
        return new OutgoingMail(hub.mail().hubAddress(), d.companyName(), List.of(to), replyTos,
                subject(caseNo, document.type()),
                body(customerName, caseNo, document.type(), document.documentNo(), document.version()), null, false, at,
                List.of(pdf));
    }

    private String body(String customerName, String caseNo, DocumentType type, String documentNo, int version) {
        HubProperties.Documents d = hub.documents();
        HubProperties.Documents.Representative rep = d.representative();
        StringBuilder b = new StringBuilder();
        b.append(customerName == null || customerName.isBlank() ? "尊敬的客户" : customerName).append("：\r\n\r\n");
        b.append("您好！您的用电业务（业扩报装编号 ").append(caseNo).append("）的《").append(type.title())
                .append("》（文书编号 ").append(documentNo).append(version > 1 ? "，第" + version + "版，更正前的版本作废" : "")
                .append("）见附件，请查阅并妥善保存。\r\n\r\n");
        b.append("如有疑问，请联系您的客户代表").append(rep.name());
        if (rep.phone() != null && !rep.phone().isBlank()) {
            b.append("，电话 ").append(rep.phone());
        }
        if (rep.email() != null && !rep.email().isBlank()) {
            b.append("，邮箱 ").append(rep.email());
        }
        b.append("；或拨打供电服务热线 ").append(d.hotline()).append("。\r\n\r\n");
        b.append(d.companyName()).append("\r\n");
        b.append("（本邮件由系统自动发送，回复将转至您的客户代表。）\r\n");
        return b.toString();
    }

}
