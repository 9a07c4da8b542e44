package cn.yekuo.hub.support;

import java.util.Map;

/**
 * The units' replies on a case's straight path, by task number, as the cluster drill and the lifecycle benchmark send
 * them: 1 technical scheme, 2 business scheme (with an asset transfer), 3 design, 4 review, 5 construction, 6-7 the
 * joint acceptance (production, marketing), 8-11 the joint energization (customer-center, production, marketing,
 * construction).
 */
public final class StraightPath {

    public static final Map<Integer, String> ANSWERS = Map.ofEntries(
            Map.entry(1, "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n接入点：912东园线 #23杆 T接\n"
                    + "产权分界点：912东园线 #23杆 T接点刀闸下桩头\n说明：需新建 10kV 电缆 0.4km。\n" + Replies.TECHNICAL_DETAILS),
            Map.entry(2, "结论：通过\n计量方式：高供高计\n电价类别：大工业用电\n资产移交：是\n业务费用：12800.00\n"
                    + Replies.BUSINESS_DETAILS + Replies.ASSETS),
            Map.entry(3, "结论：完成\n说明：设计文件见附件\n"),
            Map.entry(4, "结论：同意\n"),
            Map.entry(5, "结论：竣工\n"),
            Map.entry(6, "结论：同意\n"),
            Map.entry(7, "结论：同意\n"),
            Map.entry(8, "结论：完成\n电能表号：3301234567\n送电时间：2027-03-01 10:30\n"),
            Map.entry(9, "结论：完成\n"),
            Map.entry(10, "结论：完成\n"),
            Map.entry(11, "结论：完成\n"));

    private StraightPath() {
    }
}
