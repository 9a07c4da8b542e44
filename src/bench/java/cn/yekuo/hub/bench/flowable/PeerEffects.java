package cn.yekuo.hub.bench.flowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.task.service.delegate.DelegateTask;

import cn.yekuo.hub.documents.ContractMerge;
import cn.yekuo.hub.documents.CustomerMails;
import cn.yekuo.hub.documents.SampleDocuments;
import cn.yekuo.hub.domain.ServiceType;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.handoff.Handoff;
import cn.yekuo.hub.handoff.HandoffMail;
import cn.yekuo.hub.handoff.HandoffMailComposer;
import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.rendering.DocumentData;
import cn.yekuo.hub.rendering.DocumentType;

/**
 * What the peer hangs on the BPMN model ({@code ${peer.…}}): stage announcements, customer documents and hand-offs,
 * each as the hub does it. Documents are rendered, merged, sealed and archived inside the transition (a stage is never
 * passed without its document); status messages and mails leave after the commit.
 */
public final class PeerEffects {

    private static final String WAITING = "等待客户缴清业务费用、签订供用电合同、结清欠费 (waiting for the customer: fees, contract, arrears)";
    private static final DocumentData.Issuer ISSUER = SampleDocuments.base(DocumentType.CONTACT_CARD).issuer();

    /** Task definition key → the hub's task kind (docs/contract.md §2.4). */
    private static final Map<String, TaskKind> KINDS = Map.ofEntries(
            Map.entry("schemeTechnical", TaskKind.SCHEME_TECHNICAL),
            Map.entry("schemeBusiness", TaskKind.SCHEME_BUSINESS),
            Map.entry("design", TaskKind.DESIGN),
            Map.entry("designReview", TaskKind.DESIGN_REVIEW),
            Map.entry("construction", TaskKind.CONSTRUCTION),
            Map.entry("completionAcceptance", TaskKind.COMPLETION_ACCEPTANCE),
            Map.entry("completionAcceptanceMarketing", TaskKind.COMPLETION_ACCEPTANCE_MARKETING),
            Map.entry("energization", TaskKind.ENERGIZATION),
            Map.entry("energizationProduction", TaskKind.ENERGIZATION_PRODUCTION),
            Map.entry("energizationMarketing", TaskKind.ENERGIZATION_MARKETING),
            Map.entry("energizationConstruction", TaskKind.ENERGIZATION_CONSTRUCTION));

    private final FlowablePeer peer;

    PeerEffects(FlowablePeer peer) {
        this.peer = peer;
    }

    /** RECEIVED then ACCEPTED, and the contact card, issued after commit (as the hub's document issuer). */
    public void accepted(DelegateExecution execution) {
        Map<String, Object> vars = execution.getVariables();
        execution.setVariable("stage", "ACCEPTED");
        String app = (String) vars.get("applicationNo");
        String caseNo = (String) vars.get("caseNo");
        OffsetDateTime due = FlowablePeer.due(15);
        FlowablePeer.afterCommit(() -> {
            peer.status(app, caseNo, "RECEIVED", null, null, null);
            peer.status(app, caseNo, "ACCEPTED", "RECEIVED", due, null);
            peer.issuer.submit(() -> {
                try {
                    issue(vars, DocumentType.CONTACT_CARD);
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
        });
    }

    public void stage(DelegateExecution execution, String stage) {
        String previous = (String) execution.getVariable("stage");
        execution.setVariable("stage", stage);
        String app = (String) execution.getVariable("applicationNo");
        String caseNo = (String) execution.getVariable("caseNo");
        OffsetDateTime due = switch (stage) {
            case "SCHEME" -> FlowablePeer.due(15);
            case "ACCEPTANCE", "ENERGIZATION" -> FlowablePeer.due(5);
            default -> null;
        };
        String reason = stage.equals("CONTRACT") ? WAITING : null;
        FlowablePeer.afterCommit(() -> peer.status(app, caseNo, stage, previous, due, reason));
    }

    /** Issues a document inside the transition; its mail to the customer leaves after the commit. */
    public void document(DelegateExecution execution, String type) {
        Path file = issue(execution.getVariables(), DocumentType.valueOf(type));
        execution.setVariable("doc_" + type, file.toString());
    }

    /** Renders (the contract with its asset transfer agreement merged), seals, archives and mails a document. */
    private Path issue(Map<String, Object> vars, DocumentType type) {
        String caseNo = (String) vars.get("caseNo");
        int year = LocalDate.now(FlowablePeer.ZONE).getYear();
        String documentNo = type.documentNumber(year, peer.next("yk_document_seq"));
        DocumentData d = data(vars, type, documentNo);
        byte[] rendered = type == DocumentType.CONTRACT && Boolean.TRUE.equals(vars.get("assetTransfer"))
                ? ContractMerge.merged(caseNo, peer.renderer.render(DocumentType.CONTRACT, d),
                        peer.renderer.render(DocumentType.ASSET_TRANSFER_AGREEMENT, d))
                : peer.renderer.render(type, d);
        byte[] pdf = peer.seal.seal(rendered, documentNo);
        Path file = archive(caseNo, documentNo, pdf);
        String email = (String) vars.get("email");
        String name = (String) vars.get("customerName");
        Runnable mail = () -> peer.relay.submit(() -> customerMail(email, name, caseNo, type, documentNo, file));
        if (type == DocumentType.CONTACT_CARD) {
            mail.run(); // already after the commit, on the issuer's thread
        } else {
            FlowablePeer.afterCommit(mail);
        }
        return file;
    }

    /** Written to a temporary file, forced to disk and moved into place, as the hub's archive. */
    private Path archive(String caseNo, String documentNo, byte[] pdf) {
        try {
            Path dir = Files.createDirectories(peer.dir.resolve("documents").resolve(caseNo));
            Path tmp = dir.resolve(documentNo + ".tmp");
            Files.write(tmp, pdf, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            Path file = dir.resolve(documentNo + "-r1-v1.pdf");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            // recorded with the case as the hub records it (its SHA-256)
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf));
            return file;
        } catch (Exception e) {
            throw new IllegalStateException("cannot archive " + documentNo, e);
        }
    }

    private void customerMail(String to, String customerName, String caseNo, DocumentType type, String documentNo, Path file) {
        try {
            DocumentData.Representative rep = ISSUER.representative();
            Map<String, Object> model = new HashMap<>();
            model.put("greeting", customerName);
            model.put("caseNo", caseNo);
            model.put("title", type.title());
            model.put("documentNo", documentNo);
            model.put("version", 1);
            model.put("repName", rep.name());
            model.put("repPhone", rep.phone());
            model.put("repEmail", rep.email());
            model.put("hotline", ISSUER.hotline());
            model.put("companyName", ISSUER.companyName());
            model.put("statusLink", "http://127.0.0.1:8080/status/" + java.util.UUID.randomUUID());
            String text = peer.templates.render("customer-document.ftl", model).replace("\n", "\r\n");
            OutgoingMail out = new OutgoingMail(FlowablePeer.HUB, ISSUER.companyName(), List.of(to), List.of(rep.email()),
                    CustomerMails.subject(caseNo, type), text, null, false, OffsetDateTime.now(FlowablePeer.ZONE), List.of());
            MimeMessage m = MailMessages.mime(peer.mail, out,
                    List.of(FlowablePeer.pdf(CustomerMails.fileName(caseNo, type), file)), null);
            peer.send(m);
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    /** The document's data: the case's own header, customer and application, the sample case's scheme and contract. */
    private static DocumentData data(Map<String, Object> v, DocumentType type, String documentNo) {
        LocalDate today = LocalDate.now(FlowablePeer.ZONE);
        String requested = (String) v.get("requestedDate");
        DocumentData d = DocumentData.of((String) v.get("caseNo"), documentNo, today, ISSUER,
                        new DocumentData.Customer((String) v.get("customerId"), (String) v.get("customerName"),
                                (String) v.get("contactName"), (String) v.get("phone"), (String) v.get("email"),
                                (String) v.get("address")),
                        new DocumentData.Application((String) v.get("applicationNo"), ServiceType.NEW_INSTALL, today, 10,
                                (Integer) v.get("kva"), 0, (Integer) v.get("sources"),
                                requested == null ? null : LocalDate.parse(requested)))
                .withLimits(SampleDocuments.LIMITS);
        DocumentData.Contract contract = new DocumentData.Contract(documentNo, SampleDocuments.contract().emergencySelfSupply(),
                5, today, SampleDocuments.contract().settlement());
        return switch (type) {
            case CONTACT_CARD -> d.withStepsAhead(SampleDocuments.sample(DocumentType.CONTACT_CARD).stepsAhead());
            case SCHEME_REPLY -> d.withScheme(SampleDocuments.scheme());
            case ACCEPTANCE_OPINION -> d.withScheme(SampleDocuments.scheme())
                    .withAcceptance(new DocumentData.Acceptance(1, today, true, List.of(), null, "生产技术部、市场营销部"));
            case CONTRACT, ASSET_TRANSFER_AGREEMENT -> d.withScheme(SampleDocuments.scheme()).withContract(contract);
            case ENERGIZATION_NOTICE -> {
                Map<String, String> energized = FlowablePeer.fields(v.get("reply_energization"));
                String contractNo = fileName((String) v.get("doc_CONTRACT"));
                yield d.withScheme(SampleDocuments.scheme()).withContract(contract)
                        .withEnergization(new DocumentData.Energization(energized.getOrDefault("METER_NO", "—"),
                                LocalDateTime.now(FlowablePeer.ZONE), contractNo));
            }
            default -> d;
        };
    }

    private static String fileName(String path) {
        if (path == null) {
            return null;
        }
        String name = Path.of(path).getFileName().toString();
        return name.substring(0, name.indexOf("-r1-"));
    }

    /** Numbers the task in the case, then hands it off to its unit by mail after the commit (the documents it needs attached). */
    public void handoff(DelegateTask task) {
        int n = ((Number) task.getVariable("taskCount")).intValue() + 1;
        task.setVariable("taskCount", n);
        task.setVariableLocal("taskNo", n);
        TaskKind kind = KINDS.get(task.getTaskDefinitionKey());
        Map<String, Object> v = task.getVariables();
        String caseNo = (String) v.get("caseNo");
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("案件 Case", caseNo + " / T" + n);
        summary.put("客户 Customer", (String) v.get("customerName"));
        summary.put("申请编号 Application", (String) v.get("applicationNo"));
        summary.put("业务类型 Type", "新装 NEW_INSTALL");
        summary.put("用电地址 Site", (String) v.get("address"));
        summary.put("申请容量 Capacity", v.get("kva") + " kVA");
        summary.put("供电电压 Voltage", "10 kV");
        summary.put("电源 Sources", String.valueOf(v.get("sources")));
        summary.put("供电所 Station", (String) v.get("station"));
        summary.put("联系人 Contact", v.get("contactName") + " " + v.get("phone"));
        // after the scheme, its fields as the units answered them
        FlowablePeer.fields(v.get("reply_schemeTechnical")).forEach(summary::put);
        FlowablePeer.fields(v.get("reply_schemeBusiness")).forEach(summary::put);
        List<String[]> files = new ArrayList<>();
        switch (kind) {
            case DESIGN, CONSTRUCTION, COMPLETION_ACCEPTANCE, COMPLETION_ACCEPTANCE_MARKETING ->
                    files.add(new String[] {CustomerMails.fileName(caseNo, DocumentType.SCHEME_REPLY), (String) v.get("doc_SCHEME_REPLY")});
            case DESIGN_REVIEW -> {
                files.add(new String[] {CustomerMails.fileName(caseNo, DocumentType.SCHEME_REPLY), (String) v.get("doc_SCHEME_REPLY")});
                for (String f : String.valueOf(v.get("designFiles")).split("\n")) {
                    files.add(new String[] {Path.of(f).getFileName().toString().replaceFirst("^\\d+-", ""), f});
                }
            }
            case ENERGIZATION, ENERGIZATION_PRODUCTION, ENERGIZATION_MARKETING, ENERGIZATION_CONSTRUCTION ->
                    files.add(new String[] {CustomerMails.fileName(caseNo, DocumentType.CONTRACT), (String) v.get("doc_CONTRACT")});
            default -> {
            }
        }
        OffsetDateTime due = switch (kind) {
            case SCHEME_TECHNICAL, SCHEME_BUSINESS -> FlowablePeer.due(15);
            case DESIGN_REVIEW -> FlowablePeer.due(10);
            case COMPLETION_ACCEPTANCE, COMPLETION_ACCEPTANCE_MARKETING, ENERGIZATION, ENERGIZATION_PRODUCTION,
                 ENERGIZATION_MARKETING, ENERGIZATION_CONSTRUCTION -> FlowablePeer.due(5);
            default -> null;
        };
        Handoff handoff = new Handoff(caseNo, n, kind, (String) v.get("customerName"), summary,
                "请按下方模板答复。Please answer with the template below.", due);
        String to = kind.unit().code() + "@" + FlowablePeer.DOMAIN;
        FlowablePeer.afterCommit(() -> peer.relay.submit(() -> {
            try {
                HandoffMail hm = peer.composer.compose(handoff);
                OutgoingMail out = HandoffMailComposer.toOutgoing(hm, FlowablePeer.HUB, to, OffsetDateTime.now(FlowablePeer.ZONE), List.of());
                List<MailAttachment> attachments = new ArrayList<>();
                for (String[] f : files) {
                    attachments.add(FlowablePeer.pdf(f[0], Path.of(f[1])));
                }
                peer.send(MailMessages.mime(peer.mail, out, attachments,
                        "<handoff-" + caseNo + "-T" + n + "@" + FlowablePeer.DOMAIN + ">"));
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
    }
}
