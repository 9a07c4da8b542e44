package cn.yekuo.hub.documents;

import cn.yekuo.hub.support.Replies;

import cn.yekuo.hub.rendering.DocumentData;
import cn.yekuo.hub.rendering.DocumentRenderer;
import cn.yekuo.hub.rendering.DocumentType;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.outbox.OutboxEntry;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.CaseState;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.TaskResult;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CaseStates;
import cn.yekuo.hub.process.CommandResult;
import cn.yekuo.hub.support.BillingClient;
import cn.yekuo.hub.support.HubTest;
import cn.yekuo.hub.support.Outboxes;
import cn.yekuo.hub.support.RepClient;
import cn.yekuo.hub.support.RunningHub;
import cn.yekuo.hub.support.TestMailServer;
import cn.yekuo.hub.support.TestPorts;
import cn.yekuo.hub.process.RepresentativePorts.Answer;
import cn.yekuo.hub.process.RepresentativePorts.DocumentResend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The customer documents through the real flow: applications over JMS, later stages by process commands; the
 * archive and the customer's mailbox (GreenMail) are checked.
 *
 * <p>A hub of its own (data directory, broker and mail ports) with customer mails on: the shared test hub
 * archives documents without mailing them until the hub runs its own embedded mail server.
 */
@HubTest
class CustomerDocumentsTest {

    private static final int BROKER_PORT = TestPorts.BROKER + 5;
    private static final int SMTP_PORT = TestPorts.SMTP + 5;
    private static final int IMAP_PORT = TestPorts.IMAP + 5;
    private static final Path DATA_DIR = RunningHub.newDataDir("documents");

    @DynamicPropertySource
    static void ownHub(DynamicPropertyRegistry registry) {
        // yk.data-dir-absolute too: the environment post-processor derived it before these properties were added
        registry.add("yk.data-dir", DATA_DIR::toString);
        registry.add("yk.data-dir-absolute", () -> DATA_DIR.toAbsolutePath().normalize().toString());
        registry.add("yk.broker.acceptor", () -> "tcp://127.0.0.1:" + BROKER_PORT + "?protocols=CORE,AMQP,STOMP,OPENWIRE");
        registry.add("yk.mail.smtp-port", () -> SMTP_PORT);
        registry.add("yk.mail.imap-port", () -> IMAP_PORT);
        registry.add("yk.documents.mail-customers", () -> true);
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SOURCE = "110kV东郊变 10kV 912东园线";
    private static final String CONNECTION_POINT = "912东园线 #23杆 T接";
    private static final String OWNERSHIP_BOUNDARY = "912东园线 #23杆 T接点刀闸下桩头";

    @Autowired ApplicationContext context;
    @Autowired CaseProcess process;
    @Autowired CaseStore cases;
    @Autowired CaseStates states;
    @Autowired DocumentArchive archive;
    @Autowired CustomerDocuments documents;
    @Autowired TransactionTemplate tx;
    @Autowired JdbcTemplate jdbc;
    @Autowired DocumentResend resend;
    @LocalServerPort int httpPort;

    private GreenMail mail;
    private BillingClient billing;

    @BeforeEach
    void connect() {
        mail = TestMailServer.of(context, SMTP_PORT, IMAP_PORT);
        billing = new BillingClient("tcp://127.0.0.1:" + BROKER_PORT);
    }

    @AfterEach
    void disconnect() {
        billing.close();
    }

    // ------------------------------------------------------------------ one test per document and rule

    @Test
    void materialsNoticeIsIssuedAndMailedWhenTheApplicationLacksMaterials() throws Exception {
        Case c = apply("application-capacity-increase-missing-materials.json");

        ArchivedDocument notice = onlyDocument(c, DocumentType.MATERIALS_NOTICE);
        assertThat(text(notice)).contains(c.caseNo, notice.documentNo(), "资料补正通知书", "西郊冷链物流股份有限公司",
                Material.AGENT_AUTHORIZATION.chinese(), Material.SITE_PLAN.chinese(), Material.EXISTING_CONTRACT.chinese());
        assertThat(issued(c)).extracting(ArchivedDocument::type).containsExactly(DocumentType.MATERIALS_NOTICE);
        assertMailed(c, notice);
    }

    @Test
    void contactCardIsIssuedOnAcceptanceWithTheTimeLimitsAndTheRepresentative() throws Exception {
        Case c = apply("application-new-install.json");

        ArchivedDocument card = onlyDocument(c, DocumentType.CONTACT_CARD);
        assertThat(text(card)).contains(c.caseNo, card.documentNo(), "业扩服务联系卡", "杭州东郊新材料有限公司",
                "王敏", "0571-86000000", "rep@yekuo.local", "95598",
                "供电方案答复", "15个工作日", "竣工验收", "5个工作日", "装表送电", "5日");
        assertMailed(c, card);
    }

    @Test
    void schemeReplyIsIssuedWhenBothUnitsHaveAnsweredAndStatesTheScheme() throws Exception {
        Case c = apply("application-new-install.json");
        assertThat(issued(c)).extracting(ArchivedDocument::type).containsExactly(DocumentType.CONTACT_CARD);

        answerScheme(c, false);

        ArchivedDocument reply = onlyDocument(c, DocumentType.SCHEME_REPLY);
        assertThat(text(reply)).contains(c.caseNo, reply.documentNo(), "供电方案答复函", "杭州东郊新材料有限公司",
                compact(SOURCE), compact(CONNECTION_POINT), compact(OWNERSHIP_BOUNDARY), "高供高计", "大工业用电",
                "12,800.00", "800");
        assertMailed(c, reply);
    }

    @Test
    void acceptanceOpinionIsIssuedForAFailedAndThenForThePassedAcceptance() throws Exception {
        Case c = apply("application-new-install.json");
        answerScheme(c, false);
        build(c);

        complete(c, TaskKind.COMPLETION_ACCEPTANCE, TaskResult.FAILED, Map.of("DEFECTS", "接地电阻超标；电缆沟未封堵"));

        complete(c, TaskKind.COMPLETION_ACCEPTANCE_MARKETING, TaskResult.APPROVED, Map.of());
        List<ArchivedDocument> opinions = documents(c, DocumentType.ACCEPTANCE_OPINION);
        assertThat(opinions).hasSize(1);
        ArchivedDocument failed = opinions.get(0);
        assertThat(text(failed)).contains(c.caseNo, failed.documentNo(), "竣工验收意见书", "不合格", "接地电阻超标", "电缆沟未封堵");
        assertMailed(c, failed);
        assertThat(documents(c, DocumentType.CONTRACT)).isEmpty();

        complete(c, TaskKind.RECTIFICATION, TaskResult.DONE, Map.of());
        complete(c, TaskKind.COMPLETION_ACCEPTANCE, TaskResult.APPROVED, Map.of());
        complete(c, TaskKind.COMPLETION_ACCEPTANCE_MARKETING, TaskResult.APPROVED, Map.of());

        opinions = documents(c, DocumentType.ACCEPTANCE_OPINION);
        assertThat(opinions).extracting(ArchivedDocument::round).containsExactly(1, 2);
        ArchivedDocument passed = opinions.get(1);
        assertThat(passed.documentNo()).isNotEqualTo(failed.documentNo());
        assertThat(text(passed)).contains(passed.documentNo(), "验收结论：合格").doesNotContain("不合格");
        assertMailed(c, passed);
    }

    @Test
    void contractIsIssuedWhenAcceptancePassesAndHasTheAssetTransferAgreementMergedAfterIt() throws Exception {
        Case c = apply("application-new-install.json");
        answerScheme(c, true);
        build(c);
        complete(c, TaskKind.COMPLETION_ACCEPTANCE, TaskResult.APPROVED, Map.of());
        complete(c, TaskKind.COMPLETION_ACCEPTANCE_MARKETING, TaskResult.APPROVED, Map.of());

        ArchivedDocument contract = onlyDocument(c, DocumentType.CONTRACT);
        byte[] pdf = archive.open(contract.id());
        String text = PdfInspection.compactText(pdf);
        assertThat(text).contains(c.caseNo, "高压供用电合同", "杭州东郊新材料有限公司", "国网杭州供电公司东郊供电分公司",
                "大工业用电", compact(OWNERSHIP_BOUNDARY), "资产移交协议", "合同编号：" + contract.documentNo(),
                "SCB13-625/10×2×625kVA", "86,000.00", "140,000.00");

        // the parts rendered alone, to know their page counts and where each begins
        CaseRecord r = cases.findByCaseNo(c.caseNo).orElseThrow();
        DocumentData data = context.getBean(CaseDocumentData.class).build(DocumentType.CONTRACT, r, state(c),
                contract.documentNo(), OffsetDateTime.now(), 1);
        DocumentRenderer renderer = context.getBean(DocumentRenderer.class);
        int contractPages = PdfInspection.pageCount(renderer.render(DocumentType.CONTRACT, data));
        int agreementPages = PdfInspection.pageCount(renderer.render(DocumentType.ASSET_TRANSFER_AGREEMENT, data));
        assertThat(PdfInspection.pageCount(pdf)).isEqualTo(contractPages + agreementPages).isEqualTo(contract.pages());
        assertThat(text.indexOf("高压供用电合同")).isLessThan(text.indexOf("资产移交协议"));
        // each part numbers its own pages: the contract's come first, then the agreement's
        assertThat(pageText(pdf, 1)).contains("高压供用电合同", "第1页共" + contractPages + "页");
        // the contract ends with its annex 1, the ownership boundary (page break before it)
        assertThat(pageText(pdf, contractPages)).contains("第" + contractPages + "页共" + contractPages + "页", "产权分界点示意及说明")
                .doesNotContain("合同期限");
        assertThat(pageText(pdf, contractPages + 1)).contains("资产移交协议", "第1页共" + agreementPages + "页");
        try (var doc = PdfInspection.load(pdf)) {
            assertThat(doc.getDocumentInformation().getTitle()).isEqualTo("高压供用电合同");
            assertThat(doc.getDocumentInformation().getAuthor()).isEqualTo("国网杭州供电公司东郊供电分公司");
            assertThat(doc.getDocumentInformation().getSubject()).isEqualTo(c.caseNo);
        }
        assertMailed(c, contract);
    }

    @Test
    void theIssuerReleasesTheHandOffThatAttachesItsDocumentInTheTransactionThatIssuesIt() throws Exception {
        Case c = apply("application-new-install.json");
        CamelContext camel = context.getBean(CamelContext.class);
        // no mail claims, so no sweep: only the issuer can release the design hand-off that attaches the scheme reply
        camel.getRouteController().stopRoute("mail-relay");
        try {
            answerScheme(c, false);
            onlyDocument(c, DocumentType.SCHEME_REPLY);
            long caseId = cases.findByCaseNo(c.caseNo).orElseThrow().id();
            assertThat(jdbc.queryForObject("select count(*) from outbox where case_id = ? and channel = 'mail' and sent_at is null"
                    + " and payload like '%\"REQUESTED_DOCUMENT\"%'", Integer.class, caseId))
                    .as("hand-offs that attach the requested scheme reply, not sent").isPositive();
            assertThat(jdbc.queryForObject("select count(*) from outbox where case_id = ? and awaits_documents = true",
                    Integer.class, caseId)).as("none awaits it once it is issued").isZero();
        } finally {
            camel.getRouteController().startRoute("mail-relay");
        }
    }

    @Test
    void contractWithoutAssetTransferIsTheContractAlone() throws Exception {
        Case c = apply("application-new-install.json");
        answerScheme(c, false);
        build(c);
        complete(c, TaskKind.COMPLETION_ACCEPTANCE, TaskResult.APPROVED, Map.of());
        complete(c, TaskKind.COMPLETION_ACCEPTANCE_MARKETING, TaskResult.APPROVED, Map.of());

        ArchivedDocument contract = onlyDocument(c, DocumentType.CONTRACT);
        assertThat(text(contract)).contains("高压供用电合同").doesNotContain("资产移交协议");
    }

    @Test
    void energizationNoticeIsIssuedWhenEnergizedWithTheMeterAndTime() throws Exception {
        Case c = apply("application-new-install.json");
        answerScheme(c, false);
        build(c);
        complete(c, TaskKind.COMPLETION_ACCEPTANCE, TaskResult.APPROVED, Map.of());
        complete(c, TaskKind.COMPLETION_ACCEPTANCE_MARKETING, TaskResult.APPROVED, Map.of());
        settleFormalities(c);
        for (TaskKind part : List.of(TaskKind.ENERGIZATION_PRODUCTION, TaskKind.ENERGIZATION_MARKETING, TaskKind.ENERGIZATION_CONSTRUCTION)) {
            complete(c, part, TaskResult.DONE, Map.of());
        }
        complete(c, TaskKind.ENERGIZATION, TaskResult.DONE, Map.of("METER_NO", "3301234567890", "ENERGIZED_AT", "2027-03-01 10:30"));

        ArchivedDocument notice = onlyDocument(c, DocumentType.ENERGIZATION_NOTICE);
        assertThat(text(notice)).contains(c.caseNo, notice.documentNo(), "送电通知书", "3301234567890", "2027年3月1日10时30分",
                "合同编号" + onlyDocument(c, DocumentType.CONTRACT).documentNo(), "2050kVA");
        assertThat(issued(c)).extracting(ArchivedDocument::type).containsExactly(DocumentType.CONTACT_CARD,
                DocumentType.SCHEME_REPLY, DocumentType.ACCEPTANCE_OPINION, DocumentType.CONTRACT,
                DocumentType.ENERGIZATION_NOTICE);
        assertMailed(c, notice);
    }

    @Test
    void theMailedAttachmentHasAnRfc2231FileNameAndTheArchivedBytes() throws Exception {
        Case c = apply("application-new-install.json");
        ArchivedDocument card = onlyDocument(c, DocumentType.CONTACT_CARD);

        MimeMessage m = awaitMail(c, card);
        Part attachment = attachment(m);
        String disposition = attachment.getHeader("Content-Disposition")[0];
        assertThat(disposition).startsWith("attachment").contains("filename*=");
        // RFC 2231: filename*=UTF-8''YK-…-%E4%B8%9A%E6%89%A9… (may be split into filename*0*, filename*1* …)
        String unfolded = disposition.replaceAll("\\s", "");
        assertThat(unfolded).containsIgnoringCase("UTF-8''" + c.caseNo + "-%E4%B8%9A%E6%89%A9").doesNotContain("=?");
        assertThat(attachment.getContentType().replaceAll("\\s", "")).doesNotContain("=?");
        assertThat(attachment.getFileName()).isEqualTo(c.caseNo + "-业扩服务联系卡.pdf");
        assertThat(m.getSubject()).isEqualTo("【业扩报装】业扩服务联系卡 " + c.caseNo);
        assertThat(DocumentArchive.sha256(bytes(attachment))).isEqualTo(card.sha256());
    }

    @Test
    void aRegeneratedDocumentIsVersionTwoAndVersionOneStaysRetrievableByteIdentical() throws Exception {
        Case c = apply("application-new-install.json");
        ArchivedDocument v1 = onlyDocument(c, DocumentType.CONTACT_CARD);
        byte[] v1Bytes = archive.open(v1.id());

        ArchivedDocument v2 = documents.regenerate(c.caseNo, DocumentType.CONTACT_CARD, "联系电话更正");

        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.documentNo()).isEqualTo(v1.documentNo());
        assertThat(v2.id()).isNotEqualTo(v1.id());
        assertThat(documents(c, DocumentType.CONTACT_CARD)).extracting(ArchivedDocument::version).containsExactly(1, 2);
        assertThat(archive.open(v1.id())).isEqualTo(v1Bytes);
        assertThat(DocumentArchive.sha256(archive.open(v1.id()))).isEqualTo(v1.sha256());
        assertThat(archive.latest(c.caseNo, DocumentType.CONTACT_CARD)).map(ArchivedDocument::id).contains(v2.id());
        await().atMost(WAIT).until(() -> mailsTo(c).size() == 2);
    }

    @Test
    void theContactCardIsIssuedOnceEvenWhenItsRequestIsIssuedAgain() throws Exception {
        Case c = apply("application-new-install.json");
        ArchivedDocument card = onlyDocument(c, DocumentType.CONTACT_CARD);
        awaitMail(c, card);
        OutboxEntry request = documentRequests(c).get(0);
        assertThat(documentRequests(c)).hasSize(1);
        assertThat(jdbc.queryForObject("select sent_at from outbox where id = ?", Object.class, request.id()))
                .as("request done").isNotNull();
        int mailsBefore = outboxMails(c);

        // seen again after it was done (a second node, a redelivered batch): nothing is issued
        assertThat(documents.issueRequested(request)).isEmpty();
        // seen again as if the crash came after the document was archived but before the request was marked done
        jdbc.update("update outbox set sent_at = null where id = ?", request.id());
        assertThat(documents.issueRequested(request)).isEmpty();
        assertThat(jdbc.queryForObject("select sent_at from outbox where id = ?", Object.class, request.id()))
                .as("request marked done again").isNotNull();

        assertThat(documents(c, DocumentType.CONTACT_CARD)).extracting(ArchivedDocument::id).containsExactly(card.id());
        assertThat(outboxMails(c)).as("no second customer mail").isEqualTo(mailsBefore);
        Outboxes.awaitNothingPending(jdbc, c.caseNo, WAIT);
        assertThat(mailsTo(c)).hasSize(1);
    }

    private List<OutboxEntry> documentRequests(Case c) {
        return jdbc.query("select o.id, o.case_id, o.channel, o.message_id, o.group_key, o.payload from outbox o"
                        + " join yk_case c on c.id = o.case_id where c.case_no = ? and o.channel = ? order by o.id",
                (rs, i) -> new OutboxEntry(rs.getLong("id"), rs.getLong("case_id"), rs.getString("channel"),
                        rs.getString("message_id"), rs.getString("group_key"), Map.of(), rs.getString("payload")),
                c.caseNo, cn.yekuo.hub.outbox.Outbox.DOCUMENT);
    }

    @Test
    void aTransitionThatRollsBackLeavesNoDocumentNoFileAndNoMail() throws Exception {
        Case c = apply("application-new-install.json");
        CaseState s = state(c);
        int technical = s.openTask(TaskKind.SCHEME_TECHNICAL).orElseThrow().no();
        int business = s.openTask(TaskKind.SCHEME_BUSINESS).orElseThrow().no();
        int filesBefore = files(c).size();
        int mailsBefore = outboxMails(c);

        tx.executeWithoutResult(status -> {
            assertThat(process.byCaseNo(c.caseNo, new Command.CompleteTask(OffsetDateTime.now(), Actor.UNIT, technical,
                    TaskResult.APPROVED, technicalFields()), CaseProcess.Source.NONE)).isInstanceOf(CommandResult.Applied.class);
            assertThat(process.byCaseNo(c.caseNo, new Command.CompleteTask(OffsetDateTime.now(), Actor.UNIT, business,
                    TaskResult.APPROVED, businessFields(false)), CaseProcess.Source.NONE)).isInstanceOf(CommandResult.Applied.class);
            // requested inside the transaction (read in it), issued only after a commit
            assertThat(Outboxes.documentsPending(jdbc, c.caseNo)).isEqualTo(1);
            status.setRollbackOnly();
        });

        assertThat(Outboxes.documentsPending(jdbc, c.caseNo)).isZero();
        assertThat(documents(c, DocumentType.SCHEME_REPLY)).isEmpty();
        assertThat(files(c)).hasSize(filesBefore);
        assertThat(outboxMails(c)).isEqualTo(mailsBefore);
        Outboxes.awaitNothingPending(jdbc, c.caseNo, WAIT);
        assertThat(mailsTo(c)).hasSize(1); // the contact card only
    }

    @Test
    void theArchiveRefusesBytesThatNoLongerMatchTheirHash() throws Exception {
        Case c = apply("application-new-install.json");
        ArchivedDocument card = onlyDocument(c, DocumentType.CONTACT_CARD);
        Path file = archive.root().resolve(card.path());
        byte[] original = Files.readAllBytes(file);
        byte[] tampered = original.clone();
        tampered[tampered.length / 2] ^= 1;
        Files.write(file, tampered);
        try {
            assertThatThrownBy(() -> archive.open(card.id())).isInstanceOf(DocumentArchiveException.class)
                    .hasMessageContaining("SHA-256").hasMessageContaining(card.documentNo());
        } finally {
            Files.write(file, original);
        }
        assertThat(archive.open(card.id())).isEqualTo(original);
    }


    // ------------------------------------------------------------------ archival: PDF/A-3b, the seal, the hash chain

    @Test
    void issuedDocumentsArePdfA3bAndCarryTheVerifiableSeal() throws Exception {
        Case c = apply("application-new-install.json");
        answerScheme(c, false);

        for (ArchivedDocument d : archive.list(c.caseNo)) {
            byte[] pdf = archive.open(d.id());
            assertThat(SealVerification.problems(pdf)).as("seal of %s", d.type()).isEmpty();
            assertThat(PdfA.failedRules(pdf)).as("PDF/A-3b of %s", d.type()).isEmpty();
            assertThat(ArchivalDocumentsTest.xmp(PdfInspection.load(pdf))).contains("<yk:caseNo>" + c.caseNo + "</yk:caseNo>",
                    "<yk:documentNo>" + d.documentNo() + "</yk:documentNo>");
        }
    }

    @Test
    void verifyFindsAFreshCaseIntactThenNamesAChangedAndARemovedFile() throws Exception {
        Case c = apply("application-new-install.json");
        answerScheme(c, false);
        ArchivedDocument card = onlyDocument(c, DocumentType.CONTACT_CARD);
        ArchivedDocument reply = onlyDocument(c, DocumentType.SCHEME_REPLY);
        RepClient viewer = new RepClient(httpPort, "viewer", "viewer");
        String verify = "/api/cases/" + c.caseNo + "/documents/verify";

        var fresh = viewer.json(verify);
        assertThat(fresh.get("caseNo").asText()).isEqualTo(c.caseNo);
        assertThat(fresh.get("verified").asBoolean()).as(fresh.toString()).isTrue();
        assertThat(fresh.get("documents")).hasSize(2).allSatisfy(d -> assertThat(d.get("ok").asBoolean()).isTrue());
        assertThat(fresh.get("documents").get(0).get("sha256").asText()).isEqualTo(card.sha256());

        Path file = archive.root().resolve(reply.path());
        byte[] original = Files.readAllBytes(file);
        byte[] tampered = original.clone();
        tampered[tampered.length / 2] ^= 1;
        Files.write(file, tampered);
        try {
            var changed = viewer.json(verify);
            assertThat(changed.get("verified").asBoolean()).isFalse();
            assertThat(changed.get("documents").get(0).get("ok").asBoolean()).isTrue();
            assertThat(changed.get("documents").get(1).get("id").asLong()).isEqualTo(reply.id());
            assertThat(changed.get("documents").get(1).get("ok").asBoolean()).isFalse();
            assertThat(changed.get("documents").get(1).get("problem").asText()).startsWith("file changed");

            Files.delete(file);
            var removed = viewer.json(verify);
            assertThat(removed.get("verified").asBoolean()).isFalse();
            assertThat(removed.get("documents").get(1).get("problem").asText()).startsWith("file missing from the store");
        } finally {
            Files.write(file, original);
        }
        assertThat(viewer.json(verify).get("verified").asBoolean()).isTrue();
        assertThat(RepClient.anonymous(httpPort).get(verify, "application/json").statusCode()).isEqualTo(401);
        assertThat(viewer.get("/api/cases/YK-1999-000001/documents/verify", "application/json").statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ resending (a representative's action)

    @Test
    void resendingPutsTheSameArchivedBytesInTheCustomersMailboxAgainWithoutANewVersion() throws Exception {
        Case c = apply("application-new-install.json");
        ArchivedDocument card = onlyDocument(c, DocumentType.CONTACT_CARD);
        awaitMail(c, card);

        HttpResponse<String> r = post("/api/cases/" + c.caseNo + "/actions/resend-document", "rep",
                "{\"documentId\":" + card.id() + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        await().atMost(WAIT).until(() -> mailsTo(c).size() == 2);
        for (MimeMessage m : mailsTo(c)) {
            assertThat(m.getSubject()).isEqualTo("【业扩报装】业扩服务联系卡 " + c.caseNo);
            Part attachment = attachment(m);
            assertThat(attachment.getFileName()).isEqualTo(c.caseNo + "-业扩服务联系卡.pdf");
            assertThat(DocumentArchive.sha256(bytes(attachment))).isEqualTo(card.sha256());
        }
        assertThat(documents(c, DocumentType.CONTACT_CARD)).as("no new version")
                .extracting(ArchivedDocument::version).containsExactly(1);
        assertThat(cases.timeline(cases.findByCaseNo(c.caseNo).orElseThrow().id()))
                .anySatisfy(e -> {
                    assertThat(e.kind()).isEqualTo("DOCUMENT_RESENT");
                    assertThat(e.summary()).contains("rep", card.documentNo());
                });
    }

    @Test
    void resendingRefusesADocumentOfAnotherCaseACaseWithoutEmailAndAFileThatFailsItsHash() throws Exception {
        Case c = apply("application-new-install.json");
        Case other = apply("application-new-install.json");
        ArchivedDocument card = onlyDocument(c, DocumentType.CONTACT_CARD);
        ArchivedDocument otherCard = onlyDocument(other, DocumentType.CONTACT_CARD);
        awaitMail(c, card);
        int mailsBefore = outboxMails(c);

        Answer foreign = resend.resend(c.caseNo, otherCard.id(), "rep");
        assertThat(foreign.status()).isEqualTo(Answer.Status.NOT_FOUND);
        assertThat(post("/api/cases/" + c.caseNo + "/actions/resend-document", "rep",
                "{\"documentId\":" + otherCard.id() + "}").statusCode()).isEqualTo(404);

        Path file = archive.root().resolve(card.path());
        byte[] original = Files.readAllBytes(file);
        byte[] tampered = original.clone();
        tampered[tampered.length / 2] ^= 1;
        Files.write(file, tampered);
        try {
            Answer changed = resend.resend(c.caseNo, card.id(), "rep");
            assertThat(changed.status()).isEqualTo(Answer.Status.CONFLICT);
            assertThat(changed.message()).contains("SHA-256", card.documentNo());
        } finally {
            Files.write(file, original);
        }

        ObjectNode app = BillingClient.uniqueExample("application-new-install.json");
        ((ObjectNode) app.get("customer")).remove("email");
        billing.sendApplication(app.toString());
        String applicationNo = app.get("applicationNo").asText();
        String noMail = await().atMost(WAIT).until(() -> cases.findByApplicationNo(applicationNo), Optional::isPresent).get().caseNo();
        ArchivedDocument noMailCard = await().atMost(WAIT).until(() -> archive.latest(noMail, DocumentType.CONTACT_CARD),
                Optional::isPresent).get();
        HttpResponse<String> none = post("/api/cases/" + noMail + "/actions/resend-document", "rep",
                "{\"documentId\":" + noMailCard.id() + "}");
        assertThat(none.statusCode()).isEqualTo(409);
        assertThat(none.body()).contains("no customer e-mail");

        // the refusals wrote nothing to send: once the case's outbox is delivered, its mailbox is final
        Outboxes.awaitNothingPending(jdbc, c.caseNo, WAIT);
        assertThat(outboxMails(c)).as("no resend queued").isEqualTo(mailsBefore);
        assertThat(mailsTo(c)).as("nothing was resent").hasSize(1);
    }

    private HttpResponse<String> post(String path, String user, String json) {
        return new RepClient(httpPort, user, user).post(path, json);
    }

    // ------------------------------------------------------------------ the flow

    private record Case(String caseNo, String email, String applicationNo) {
    }

    private Case apply(String example) {
        ObjectNode app = BillingClient.uniqueExample(example);
        String email = "c-" + UUID.randomUUID().toString().substring(0, 8) + "@customer.example.cn";
        ((ObjectNode) app.get("customer")).put("email", email);
        billing.sendApplication(app.toString());
        String applicationNo = app.get("applicationNo").asText();
        Optional<CaseRecord> found = await().atMost(WAIT).until(() -> cases.findByApplicationNo(applicationNo), Optional::isPresent);
        // the intake document (contact card or materials notice) is issued shortly after the intake commits
        String caseNo = found.get().caseNo();
        await().atMost(WAIT).until(() -> archive.list(caseNo).stream()
                .anyMatch(d -> d.type() == DocumentType.CONTACT_CARD || d.type() == DocumentType.MATERIALS_NOTICE));
        return new Case(caseNo, email, applicationNo);
    }

    private CaseState state(Case c) {
        return states.read(cases.findByCaseNo(c.caseNo).orElseThrow().stateJson());
    }

    private CaseState complete(Case c, TaskKind kind, TaskResult result, Map<String, String> fields) {
        int no = state(c).openTask(kind).orElseThrow(() -> new AssertionError("no open " + kind + " in " + c.caseNo)).no();
        CommandResult r = process.byCaseNo(c.caseNo, new Command.CompleteTask(OffsetDateTime.now(), Actor.UNIT, no, result, fields),
                CaseProcess.Source.NONE);
        assertThat(r).as("%s %s", kind, result).isInstanceOf(CommandResult.Applied.class);
        return ((CommandResult.Applied) r).state();
    }

    private static Map<String, String> technicalFields() {
        return Replies.with(Map.of("SOURCE", SOURCE, "CONNECTION_POINT", CONNECTION_POINT, "OWNERSHIP_BOUNDARY", OWNERSHIP_BOUNDARY),
                Replies.TECHNICAL_FIELDS);
    }

    private static Map<String, String> businessFields(boolean assetTransfer) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("METERING", "高供高计");
        f.put("TARIFF", "大工业用电");
        f.put("ASSET_TRANSFER", assetTransfer ? "是" : "否");
        f.put("FEES", "12800");
        f.putAll(Replies.BUSINESS_FIELDS);
        if (assetTransfer) {
            f.put("ASSET", "10kV环网柜|HXGN15-12|1台|86000.00\n10kV电缆|YJV22-8.7/15-3×70|320米|54000.00");
        }
        return f;
    }

    private void answerScheme(Case c, boolean assetTransfer) {
        complete(c, TaskKind.SCHEME_TECHNICAL, TaskResult.APPROVED, technicalFields());
        complete(c, TaskKind.SCHEME_BUSINESS, TaskResult.APPROVED, businessFields(assetTransfer));
    }

    /** Design, review and construction, up to the completion acceptance. */
    private void build(Case c) {
        complete(c, TaskKind.DESIGN, TaskResult.DONE, Map.of());
        complete(c, TaskKind.DESIGN_REVIEW, TaskResult.APPROVED, Map.of());
        complete(c, TaskKind.CONSTRUCTION, TaskResult.COMPLETED, Map.of());
    }

    /** Fees, contract and arrears: in CONTRACT, the contract being signed only after the passed acceptance. */
    private void settleFormalities(Case c) {
        OffsetDateTime now = OffsetDateTime.now();
        applied(c, new Command.SettleFees(now, Actor.BILLING, new BigDecimal("12800")));
        applied(c, new Command.SignContract(now, Actor.BILLING, "HT-" + c.caseNo));
        applied(c, new Command.ClearArrears(now, Actor.BILLING));
    }

    private void applied(Case c, Command command) {
        assertThat(process.byCaseNo(c.caseNo, command, CaseProcess.Source.NONE)).isInstanceOf(CommandResult.Applied.class);
    }

    // ------------------------------------------------------------------ archive and mailbox

    private List<ArchivedDocument> documents(Case c, DocumentType type) {
        return issued(c).stream().filter(d -> d.type() == type).toList();
    }

    /** The case's documents once every one its changes requested is issued (the issuer runs after each commit). */
    private List<ArchivedDocument> issued(Case c) {
        Outboxes.awaitDocumentsIssued(jdbc, c.caseNo, WAIT);
        return archive.list(c.caseNo);
    }

    private ArchivedDocument onlyDocument(Case c, DocumentType type) {
        List<ArchivedDocument> found = documents(c, type);
        assertThat(found).as("%s of %s", type, c.caseNo).hasSize(1);
        ArchivedDocument d = found.get(0);
        assertThat(d.version()).isEqualTo(1);
        assertThat(d.title()).isEqualTo(type.title());
        assertThat(d.fileName()).isEqualTo(c.caseNo + "-" + type.title() + ".pdf");
        assertThat(d.documentNo()).matches(type.numberPrefix() + "-\\d{4}-\\d{6}");
        return d;
    }

    private String text(ArchivedDocument d) {
        return PdfInspection.compactText(archive.open(d.id()));
    }

    private static String compact(String s) {
        return s.replaceAll("\\s+", "");
    }

    private static String pageText(byte[] pdf, int page) throws Exception {
        try (var doc = PdfInspection.load(pdf)) {
            var stripper = new org.apache.pdfbox.text.PDFTextStripper();
            stripper.setStartPage(page);
            stripper.setEndPage(page);
            return compact(stripper.getText(doc));
        }
    }

    private List<Path> files(Case c) throws Exception {
        Path dir = archive.root().resolve(c.caseNo);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }

    private int outboxMails(Case c) {
        Integer n = jdbc.queryForObject("select count(*) from outbox o join yk_case c on c.id = o.case_id "
                + "where c.case_no = ? and o.channel = ?", Integer.class, c.caseNo, cn.yekuo.hub.outbox.Outbox.MAIL);
        return n == null ? 0 : n;
    }

    private List<MimeMessage> mailsTo(Case c) throws Exception {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                Address[] to = m.getRecipients(Message.RecipientType.TO);
                return to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(c.email));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    /** The mail with the document's subject whose attachment is this document (acceptance rounds share a subject). */
    private MimeMessage awaitMail(Case c, ArchivedDocument d) {
        String subject = "【业扩报装】" + d.title() + " " + c.caseNo;
        return await().atMost(WAIT).until(() -> mailsTo(c).stream()
                .filter(m -> subject.equals(subjectOf(m)) && d.sha256().equals(attachmentSha(m))).toList(),
                l -> !l.isEmpty()).get(0);
    }

    private static String attachmentSha(MimeMessage m) {
        try {
            return DocumentArchive.sha256(bytes(attachment(m)));
        } catch (Exception | AssertionError e) {
            return null;
        }
    }

    /** The customer received the document in a mail with the contract's subject and file name, bytes as archived. */
    private void assertMailed(Case c, ArchivedDocument d) throws Exception {
        MimeMessage m = awaitMail(c, d);
        Part attachment = attachment(m);
        assertThat(attachment.getFileName()).isEqualTo(c.caseNo + "-" + d.title() + ".pdf");
        assertThat(attachment.getContentType()).startsWith("application/pdf");
        byte[] mailed = bytes(attachment);
        assertThat(DocumentArchive.sha256(mailed)).isEqualTo(d.sha256());
        assertThat(mailed).isEqualTo(archive.open(d.id()));
    }

    private static String subjectOf(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return null;
        }
    }

    private static Part attachment(MimeMessage m) throws Exception {
        Multipart mp = (Multipart) m.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
            Part p = mp.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                return p;
            }
        }
        throw new AssertionError("no attachment in " + m.getSubject());
    }

    private static byte[] bytes(Part p) throws Exception {
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
