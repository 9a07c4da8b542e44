package cn.yekuo.hub.returnvisits;

import java.util.List;

/** A supply station's return-visit reply: the cases it reported and the lines that could not be used. */
public record ReturnVisitReply(List<Visit> visits, List<UnusableLine> unusable) {

    public ReturnVisitReply {
        visits = List.copyOf(visits);
        unusable = List.copyOf(unusable);
    }

    /** {@code YK-2026-000017: 满意 说明…} → the case, the satisfaction and the note ("" when none). */
    public record Visit(String caseNo, Satisfaction satisfaction, String note) {
    }

    /** A line that names no case or no satisfaction, with the reason in Chinese and English. */
    public record UnusableLine(String line, String reasonZh, String reasonEn) {
    }
}
