package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.DocumentType;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseAssignments;
import cn.yekuo.hub.cases.Roster;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.mailtransport.OutgoingMail;

/**
 * The mail that carries a document to the customer (docs/contract.md §3), written to the outbox at transition time
 * with the archived PDF referenced by id: subject {@code 【业扩报装】<title> <caseNo>}, a short Chinese body
 * ({@code mails/customer-document.ftl}) with the link to the case's status page ({@link StatusLinks}), the
 * PDF attached as {@code <caseNo>-<title>.pdf} with an RFC 2231 file name.
 */
@Component("customerMails")
public class CustomerMails {

    private final HubProperties hub;
    private final MailMessages messages;
    private final MailTemplates templates;
    private final CaseAssignments assignments;
    private final StatusLinks statusLinks;

    public CustomerMails(HubProperties hub, MailMessages messages, MailTemplates templates, CaseAssignments assignments,
                         StatusLinks statusLinks) {
        this.assignments = assignments;
        this.statusLinks = statusLinks;
        this.hub = hub;
        this.messages = messages;
        this.templates = templates;
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
        // the customer answers the case's own representative
        Roster.Representative rep = assignments.ofCase(caseNo);
        String replyTo = rep.email();
        List<String> replyTos = replyTo == null || replyTo.isBlank() ? List.of() : List.of(replyTo);
        OutgoingMail.Attachment pdf = new OutgoingMail.Attachment(OutgoingMail.Source.DOCUMENT, document.id(),
                fileName(caseNo, document.type()), "application/pdf", document.size());
        return new OutgoingMail(hub.mail().hubAddress(), d.companyName(), List.of(to), replyTos,
                subject(caseNo, document.type()),
                body(rep, customerName, caseNo, document.type(), document.documentNo(), document.version()), null, false, at,
                List.of(pdf));
    }

    private String body(Roster.Representative rep, String customerName, String caseNo, DocumentType type, String documentNo,
                        int version) {
        HubProperties.Documents d = hub.documents();
        Map<String, Object> model = new HashMap<>();
        model.put("greeting", customerName == null || customerName.isBlank() ? "尊敬的客户" : customerName);
        model.put("caseNo", caseNo);
        model.put("title", type.title());
        model.put("documentNo", String.valueOf(documentNo));
        model.put("version", version);
        model.put("repName", String.valueOf(rep.name()));
        model.put("repPhone", rep.phone() == null || rep.phone().isBlank() ? null : rep.phone());
        model.put("repEmail", rep.email() == null || rep.email().isBlank() ? null : rep.email());
        model.put("hotline", String.valueOf(d.hotline()));
        model.put("companyName", String.valueOf(d.companyName()));
        // the case's status page (issue 20): an absolute URL, percent-encoded, so it reads the same in plain text
        model.put("statusLink", statusLinks.linkFor(caseNo));
        // text/plain in its canonical form (RFC 2046 §4.1.1): CRLF line ends, as customers' clients have always got it
        return templates.render("customer-document.ftl", model).replace("\n", "\r\n");
    }
}
