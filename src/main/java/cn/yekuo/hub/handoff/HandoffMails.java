package cn.yekuo.hub.handoff;

import cn.yekuo.hub.mailtransport.MailDirectory;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;


import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.domain.ServiceType;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.CaseState;
import cn.yekuo.hub.domain.workflow.CaseWorkflow;
import cn.yekuo.hub.domain.workflow.Effect;
import cn.yekuo.hub.domain.workflow.Task;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.process.CaseContext;
import cn.yekuo.hub.process.TransitionRecorded;

/**
 * Every task the workflow opens becomes one hand-off mail to its unit (docs/contract.md §2), written to the outbox in
 * the transition's transaction and sent by the {@code mail-relay} route after commit.
 */
@Component
public class HandoffMails {

    private final HandoffMailComposer composer;
    private final MailDirectory directory;
    private final MailMessages messages;
    private final Outbox outbox;
    private final CaseStore cases;
    private final HandoffAttachments attachments;

    public HandoffMails(HandoffMailComposer composer, MailDirectory directory, MailMessages messages, Outbox outbox,
                        CaseStore cases, HandoffAttachments attachments) {
        this.attachments = attachments;
        this.composer = composer;
        this.directory = directory;
        this.messages = messages;
        this.outbox = outbox;
        this.cases = cases;
    }

    /** The outbox message id (and Message-ID local part) of a task's hand-off. */
    public static String outboxIdOf(String caseNo, int taskNo) {
        return "handoff-" + caseNo + "-T" + taskNo;
    }

    /** After the transition's records, so that a document issued in the same transition can be attached. */
    @EventListener
    public void on(TransitionRecorded recorded) {
        CaseStore.Installation installation = null; // read once per transition, for all its hand-offs
        for (Effect effect : recorded.effects()) {
            if (effect instanceof Effect.TaskOpened opened) {
                if (installation == null) {
                    installation = cases.installation(recorded.context().record().id());
                }
                on(recorded.context(), opened, installation);
            }
        }
    }

    private void on(CaseContext context, Effect.TaskOpened opened, CaseStore.Installation installation) {
        CaseRecord c = context.record();
        Task task = opened.task();
        // the clock the recorder attached the task to: its deadline is the due date (the task row's, without reading it)
        OffsetDateTime due = context.dueOfOpened(task);
        Handoff handoff = new Handoff(c.caseNo(), task.no(), task.kind(), c.customer().name(),
                summary(c, installation, context.state(), task.kind()), ask(task.kind(), context.state()), due);
        // only the token and subject are written here: the relay writes the text and HTML after commit, from the facts
        // as they are now; the attachments are the documents as they are now (their ids)
        HandoffMailComposer.Body body = composer.body(handoff);
        String to = directory.addressOf(task.unit());
        String id = outboxIdOf(c.caseNo(), task.no());
        OutgoingMail outgoing = new OutgoingMail(directory.hubAddress(), null, List.of(to), List.of(), body.subject(), null, null,
                true, context.now(), attachments.forTask(c, task.kind()), messages.body(HandoffMailComposer.KIND, body));
        outbox.addIfAbsent(c.id(), Outbox.MAIL, id, c.caseNo(),
                Map.of("to", to, "kind", "HANDOFF", "task", task.token(), "subject", body.subject()), messages.toPayload(outgoing));
    }

    private Map<String, String> summary(CaseRecord c, CaseStore.Installation installation, CaseState state, TaskKind kind) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("申请编号 Application no.", c.applicationNo());
        lines.put("业务类型 Service type", ServiceType.fromCode(c.serviceType())
                .map(t -> t.chinese() + " " + t.name()).orElse(c.serviceType()));
        lines.put("用电地址 Site address", c.siteAddress());
        int kva = installation.transformerKva();
        int existing = installation.existingKva();
        lines.put("报装容量 Capacity", kva + " kVA" + (existing > 0 ? "（原有 existing " + existing + " kVA）" : ""));
        BigDecimal kv = installation.supplyVoltageKv().stripTrailingZeros();
        lines.put("供电电压 Supply voltage", kv.toPlainString() + " kV");
        lines.put("电源 Power sources", c.powerSources() == 2 ? "双电源 2 (dual)" : "单电源 1 (single)");
        lines.put("供电所 Supply station", c.supplyStation());
        CaseRecord.Customer customer = c.customer();
        String contact = join(customer.contactName(), customer.phone());
        if (!contact.isEmpty()) {
            lines.put("联系人 Contact", contact);
        }
        if (kind != TaskKind.SCHEME_TECHNICAL && kind != TaskKind.SCHEME_BUSINESS) {
            state.scheme().forEach((key, value) -> {
                ReplyKey replyKey = ReplyKey.fromLabel(key).orElse(null);
                // a list (transformers, works, assets) is one item per line: one summary line, items joined
                lines.put("方案 Scheme " + (replyKey == null ? key : replyKey.label()), value.replace("\n", "；"));
            });
        }
        return lines;
    }

    private static String ask(TaskKind kind, CaseState state) {
        return switch (kind) {
            case SCHEME_TECHNICAL -> "请审查接入条件，提出供电方案的技术部分：电源点、接入点及接入方式、产权分界点、核定容量、"
                    + "变压器、新建及改造工程。\n"
                    + "Propose the technical part of the supply scheme: source, connection point and method, ownership "
                    + "boundary, approved capacity, transformers, new-build and renovation works.";
            case SCHEME_BUSINESS -> "请提出供电方案的营业部分：用电性质、电价类别、计量方式及计量点、互感器变比、准确度等级、"
                    + "功率因数考核标准、业务费用、资产移交（移交时列出资产及账面价值）。\n"
                    + "Propose the business part of the supply scheme: nature of use, tariff, metering method and point, "
                    + "CT/PT ratio, accuracy class, power-factor standard, fees, asset transfer (with the assets and book values).";
            case DESIGN -> "请按批复的供电方案进行工程设计，完成后答复“完成”并附设计文件。\n"
                    + "Design the works per the approved scheme; reply DONE with the design files attached.";
            case DESIGN_REVIEW -> "请审核工程设计，同意或不同意（不同意时列出缺陷）。\n"
                    + "Review the design: APPROVED, or REJECTED with the defects.";
            case CONSTRUCTION -> "请组织施工。隐蔽工程须在覆盖前经中间检查：完工待查时答复“申请中间检查”（任务保持开放），全部竣工时答复“竣工”。\n"
                    + "Build the works. Concealed works must be inspected before they are covered: reply INSPECTION_REQUESTED "
                    + "when they are ready (the task stays open), COMPLETED when the works are complete.";
            case MID_INSPECTION -> "请对隐蔽工程进行中间检查，通过或不合格（不合格时列出缺陷）。\n"
                    + "Inspect the concealed works: APPROVED, or FAILED with the defects.";
            case RECTIFICATION -> "请整改下列缺陷，完成后答复“完成”。\nRectify these defects and reply DONE:\n" + defectsToFix(state);
            case COMPLETION_ACCEPTANCE -> "请会同市场营销部进行竣工验收，通过或不合格（不合格时列出缺陷）。各单位分别答复，全部通过方为验收合格。\n"
                    + "Carry out the completion acceptance jointly with marketing: APPROVED, or FAILED with the defects. "
                    + "Each unit answers on its own; the acceptance passes only when every unit passes it.";
            case COMPLETION_ACCEPTANCE_MARKETING -> "请会同生产技术部进行竣工验收（计量装置、营业部分），通过或不合格（不合格时列出缺陷）。"
                    + "各单位分别答复，全部通过方为验收合格。\n"
                    + "Carry out the completion acceptance jointly with production (metering, business part): APPROVED, or FAILED "
                    + "with the defects. Each unit answers on its own; the acceptance passes only when every unit passes it.";
            case ENERGIZATION -> "请会同生产技术部、市场营销部、实业公司装表接电，答复电能表号和送电时间；未能送电时答复“不合格”并列出原因。\n"
                    + "Install the meter and energize with production, marketing and construction; reply with the meter number "
                    + "and the time of energization, or FAILED with what prevented it.";
            case ENERGIZATION_PRODUCTION, ENERGIZATION_MARKETING, ENERGIZATION_CONSTRUCTION ->
                    "请配合客户中心装表送电，完成后答复“完成”；未能送电时答复“不合格”并列出原因。\n"
                    + "Take part in the meter installation and energization led by customer-center; reply DONE, or FAILED with "
                    + "what prevented it.";
        };
    }

    /** The DEFECTS of the latest negative answer that led to this rectification, with those of its joint round. */
    private static String defectsToFix(CaseState state) {
        for (int i = state.tasks().size() - 1; i >= 0; i--) {
            String defects = state.tasks().get(i).fields().get("DEFECTS");
            if (defects != null && !defects.isBlank()) {
                return CaseWorkflow.round(state, state.tasks().get(i)).stream()
                        .map(t -> t.fields().get("DEFECTS")).filter(d -> d != null && !d.isBlank())
                        .flatMap(d -> Arrays.stream(d.split("[;；]"))).map(String::strip).filter(item -> !item.isEmpty())
                        .distinct().map(item -> "- " + item).collect(Collectors.joining("\n"));
            }
        }
        return "- （见检查意见 see the inspection report）";
    }

    private static String join(String a, String b) {
        return ((a == null ? "" : a) + " " + (b == null ? "" : b)).strip();
    }
}
