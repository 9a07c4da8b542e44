package cn.yekuo.hub.web;

import cn.yekuo.hub.documents.CaseDocuments;
import cn.yekuo.hub.documents.DocumentArchive;
import cn.yekuo.hub.queries.CaseMails;
import cn.yekuo.hub.queries.CaseQueries;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.documents.CaseDocuments.DocumentFile;
import cn.yekuo.hub.documents.CaseDocuments.DocumentSummary;
import cn.yekuo.hub.queries.CaseMails.MailSummary;
import cn.yekuo.hub.assessment.AssessmentEntries;
import cn.yekuo.hub.cases.Roster;

/** docs/contract.md §4: cases, their documents and the representatives' actions. */
@RestController
@RequestMapping(path = "/api/cases", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "cases")
public class CaseApiController {

    public static final int MAX_PAGE_SIZE = 100;
    public static final int MAX_QUERY = 100;

    private final CaseQueries queries;
    private final CaseActions actions;
    private final ObjectProvider<CaseDocuments> documents;
    private final ObjectProvider<CaseMails> mails;
    private final Roster roster;
    private final ObjectProvider<DocumentArchive> archive;
    private final AssessmentEntries entries;

    public CaseApiController(CaseQueries queries, CaseActions actions, ObjectProvider<CaseDocuments> documents,
                             ObjectProvider<CaseMails> mails, Roster roster, ObjectProvider<DocumentArchive> archive,
                             AssessmentEntries entries) {
        this.entries = entries;
        this.roster = roster;
        this.archive = archive;
        this.queries = queries;
        this.actions = actions;
        this.documents = documents;
        this.mails = mails;
    }

    @GetMapping
    @Operation(summary = "Cases, the most urgent due date first",
            description = "q matches case number, customer name or application number (substring, case-insensitive).")
    public CaseQueries.Page<CaseQueries.CaseListItem> list(
            @Parameter(description = "a stage, e.g. SCHEME") @RequestParam(required = false) String stage,
            @Parameter(description = "only cases whose running clock is past due") @RequestParam(required = false) String overdue,
            @Parameter(description = "only cases not in a final stage") @RequestParam(required = false) String open,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String page,
            @RequestParam(required = false) String size) {
        return queries.list(filter(stage, overdue, q, open), number("page", page, 0, 0, Integer.MAX_VALUE),
                number("size", size, 20, 1, MAX_PAGE_SIZE));
    }

    /** A case in full: stage, running clock, tasks with due dates, timeline, documents, mails. */
    public record CaseView(String caseNo, String applicationNo, String serviceType, String stage, String reason,
                           Customer customer, String siteAddress, String supplyStation, java.time.OffsetDateTime submittedAt,
                           java.time.OffsetDateTime acceptedAt, Wait waitingForCustomer, CaseQueries.NodeView currentNode,
                           java.time.OffsetDateTime dueAt, List<String> waitsOn, List<CaseQueries.TaskView> tasks,
                           List<CaseQueries.NodeView> nodes, List<CaseQueries.TimelineView> timeline,
                           List<DocumentSummary> documents, List<MailSummary> mails, Representative representative) {
        public record Customer(String id, String name, String contactName, String phone, String email) {
        }

        public record Wait(String reason, java.time.OffsetDateTime since) {
        }

        /** The case's customer representative (一口对外): the one its documents name and its notices reach. */
        public record Representative(String id, String name, String phone, String email) {
        }
    }

    @GetMapping("/{caseNo}")
    @Operation(summary = "One case: stage, current node and dueAt, tasks, timeline, documents, mails, representative")
    public CaseView detail(@PathVariable String caseNo) {
        CaseQueries.CaseDetail d = queries.detail(caseNo)
                .orElseThrow(() -> ApiException.notFound("case " + caseNo + " is not known to the hub"));
        return view(d, documentsOf(caseNo), mailsOf(caseNo), queries, roster);
    }

    static CaseView view(CaseQueries.CaseDetail d, List<DocumentSummary> docs, List<MailSummary> mails, CaseQueries q,
                         Roster roster) {
        var c = d.record();
        Roster.Representative rep = roster.of(c.representativeId());
        return new CaseView(c.caseNo(), c.applicationNo(), c.serviceType(), d.stage().name(), c.reason(),
                new CaseView.Customer(c.customer().id(), c.customer().name(), c.customer().contactName(), c.customer().phone(),
                        c.customer().email()),
                c.siteAddress(), c.supplyStation(), local(c.submittedAt(), q), local(c.acceptedAt(), q),
                d.customerWait() == null ? null
                        : new CaseView.Wait(d.customerWait().reason(), local(d.customerWait().since(), q)),
                d.currentNode(), d.currentNode() == null ? null : d.currentNode().dueAt(), d.waitsOn(), d.tasks(), d.nodes(),
                d.timeline(), docs.stream().map(doc -> local(doc, q)).toList(), mails.stream().map(m -> local(m, q)).toList(),
                new CaseView.Representative(rep.id(), rep.name(), rep.phone(), rep.email()));
    }

    private static DocumentSummary local(DocumentSummary d, CaseQueries q) {
        return new DocumentSummary(d.id(), d.kind(), d.title(), d.fileName(), local(d.createdAt(), q), d.sentTo(),
                local(d.sentAt(), q));
    }

    private static MailSummary local(MailSummary m, CaseQueries q) {
        return new MailSummary(m.id(), m.direction(), local(m.at(), q), m.counterpart(), m.subject(), m.taskToken(), m.status(),
                m.note());
    }

    private static java.time.OffsetDateTime local(java.time.OffsetDateTime t, CaseQueries q) {
        return t == null ? null : t.atZoneSameInstant(q.zone()).toOffsetDateTime();
    }

    @GetMapping("/{caseNo}/documents/verify")
    @Operation(summary = "Checks the case's archived documents: each file against its recorded SHA-256, the rows against the hash chain",
            description = "200 with verified=false and the problem on each document (or on the chain when the last documents"
                    + " were removed) when something changed; 404 for an unknown case.")
    public DocumentArchive.Verification verifyDocuments(@PathVariable String caseNo) {
        DocumentArchive a = archive.getIfAvailable();
        return (a == null ? java.util.Optional.<DocumentArchive.Verification>empty() : a.verify(caseNo))
                .orElseThrow(() -> ApiException.notFound("case " + caseNo + " is not known to the hub"));
    }

    @GetMapping(path = "/{caseNo}/documents/{id}", produces = {MediaType.APPLICATION_PDF_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "A document of the case (PDF)")
    public ResponseEntity<byte[]> document(@PathVariable String caseNo, @PathVariable String id) {
        return documentResponse(caseNo, id, documents, queries);
    }

    static ResponseEntity<byte[]> documentResponse(String caseNo, String id, ObjectProvider<CaseDocuments> documents,
                                                   CaseQueries queries) {
        long documentId;
        try {
            documentId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("id", "must be a positive whole number");
        }
        if (queries.detail(caseNo).isEmpty()) {
            throw ApiException.notFound("case " + caseNo + " is not known to the hub");
        }
        CaseDocuments docs = documents.getIfAvailable();
        DocumentFile file = (docs == null ? java.util.Optional.<DocumentFile>empty() : docs.open(caseNo, documentId))
                .orElseThrow(() -> ApiException.notFound("case " + caseNo + " has no document " + documentId));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.contentType() == null ? "application/pdf" : file.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline()
                        .filename(file.fileName(), java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .body(file.content());
    }

    @PostMapping(path = "/{caseNo}/actions/{action}")
    @Operation(summary = "A representative's action (role REP)",
            description = "confirm-materials, record-contract-signed {contractNo}, request-inspection, request-acceptance, "
                    + "pause {reason, from?} (from: a back-dated start within yk.assessment.backdate-window-days), resume, "
                    + "withdraw {reason}, resend-document {documentId}, release-reply {mailId}, "
                    + "reassign {representative, reason} (an id of the roster), "
                    + "non-cooperation {unit, reason, evidence, mailId?, documentId?}, waive-entry {entryId, reason} and "
                    + "correct-entry {entryId, deduction?, unit?, reason} (a lead only: 403 otherwise). "
                    + "400 names the invalid field; 409 gives the workflow's reason when the action does not fit the case.")
    public CaseActions.Done act(@PathVariable String caseNo, @PathVariable String action,
                                @RequestBody(required = false) Map<String, Object> body, Principal user) {
        return actions.perform(caseNo, action, body, user.getName());
    }

    /** The case's assessment entries with their cause, and the waivers and corrections of each (§4.4). */
    public record CaseAssessment(String caseNo, List<AssessmentEntries.Entry> entries) {
    }

    @GetMapping("/{caseNo}/assessment")
    @Operation(summary = "The case's assessment entries (overruns and non-cooperation), each with its waivers and corrections")
    public CaseAssessment assessment(@PathVariable String caseNo) {
        try {
            return new CaseAssessment(caseNo, entries.ofCase(caseNo));
        } catch (AssessmentEntries.Refused r) {
            throw ApiException.notFound(r.getMessage());
        }
    }

    Roster roster() {
        return roster;
    }

    List<DocumentSummary> documentsOf(String caseNo) {
        CaseDocuments d = documents.getIfAvailable();
        return d == null ? List.of() : d.ofCase(caseNo);
    }

    List<MailSummary> mailsOf(String caseNo) {
        CaseMails m = mails.getIfAvailable();
        return m == null ? List.of() : m.ofCase(caseNo);
    }

    static CaseQueries.Filter filter(String stage, String overdue, String q, String open) {
        Stage s = null;
        if (stage != null && !stage.isBlank()) {
            try {
                s = Stage.valueOf(stage.strip());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("stage", "must be one of " + java.util.Arrays.toString(Stage.values()));
            }
        }
        if (q != null && q.length() > MAX_QUERY) {
            throw ApiException.invalid("q", "must be at most " + MAX_QUERY + " characters");
        }
        return new CaseQueries.Filter(s, bool("overdue", overdue), q, bool("open", open));
    }

    static boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw ApiException.invalid(name, "must be true or false");
    }

    static int number(String name, String value, int dflt, int min, int max) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw ApiException.invalid(name, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "must be a whole number");
        }
    }
}
