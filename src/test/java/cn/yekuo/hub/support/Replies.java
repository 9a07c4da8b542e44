package cn.yekuo.hub.support;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** A unit's answer to a hand-off as a mail client makes it (shared by the mail tests and the end-to-end tests). */
public final class Replies {

    private Replies() {
    }

    /** The technical scheme's contents besides source, connection point and boundary: two transformer lines, works. */
    public static final String TECHNICAL_DETAILS = """
            核定容量：2050kVA
            变压器：SCB13-800/10×1×800kVA
            变压器：SCB13-625/10×2×625kVA
            接入方式：电缆T接
            工程项目：新建 10kV电缆线路 YJV22-8.7/15-3×70 0.4km
            工程项目：改造 912东园线#23杆 T接刀闸更换
            """;

    /** The business scheme's contents besides metering method, tariff, asset transfer and fees. */
    public static final String BUSINESS_DETAILS = """
            用电性质：工业用电（新材料制造）
            计量点：10kV进线计量柜
            电流互感器变比：150/5
            电压互感器变比：10000/100
            准确度等级：有功0.5S级、无功2级
            功率因数：0.90
            """;

    /** The assets of a business scheme answering 资产移交：是, with their book values (140,000.00 in all). */
    public static final String ASSETS = """
            移交资产：10kV环网柜|HXGN15-12|1台|86000.00
            移交资产：10kV电缆|YJV22-8.7/15-3×70|320米|54000.00
            """;

    /** The same contents as reply fields, for tests that complete tasks without mail. */
    public static final java.util.Map<String, String> TECHNICAL_FIELDS = java.util.Map.of(
            "APPROVED_CAPACITY", "2050kVA",
            "TRANSFORMER", "SCB13-800/10×1×800kVA\nSCB13-625/10×2×625kVA",
            "CONNECTION_METHOD", "电缆T接",
            "WORKS", "新建 10kV电缆线路 YJV22-8.7/15-3×70 0.4km\n改造 912东园线#23杆 T接刀闸更换");

    public static final java.util.Map<String, String> BUSINESS_FIELDS = java.util.Map.of(
            "NATURE_OF_USE", "工业用电（新材料制造）",
            "METERING_POINT", "10kV进线计量柜",
            "CT_RATIO", "150/5",
            "PT_RATIO", "10000/100",
            "ACCURACY_CLASS", "有功0.5S级、无功2级",
            "POWER_FACTOR", "0.90");

    /** {@code base} with {@code more} added (Map.of holds ten pairs at most). */
    public static java.util.Map<String, String> with(java.util.Map<String, String> base, java.util.Map<String, String> more) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(base);
        all.putAll(more);
        return java.util.Collections.unmodifiableMap(all);
    }

    /**
     * "Re:" subject keeping the token, In-Reply-To, UTF-8 text, a fresh Message-ID, addressed to {@code hub}; each
     * attachment a PDF named 设计图纸-n.pdf.
     */
    public static MimeMessage reply(MimeMessage handoff, String from, String hub, String body, byte[]... attachments) {
        try {
            MimeMessage reply = (MimeMessage) handoff.reply(false);
            reply.setFrom(new InternetAddress(from));
            reply.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(hub));
            if (attachments.length == 0) {
                reply.setText(body, StandardCharsets.UTF_8.name());
            } else {
                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart text = new MimeBodyPart();
                text.setText(body, StandardCharsets.UTF_8.name());
                mixed.addBodyPart(text);
                int n = 1;
                for (byte[] content : attachments) {
                    MimeBodyPart part = new MimeBodyPart();
                    part.setDataHandler(new jakarta.activation.DataHandler(
                            new jakarta.mail.util.ByteArrayDataSource(content, "application/pdf")));
                    part.setFileName("设计图纸-" + n++ + ".pdf");
                    part.setDisposition(MimeBodyPart.ATTACHMENT);
                    mixed.addBodyPart(part);
                }
                reply.setContent(mixed);
            }
            reply.saveChanges();
            reply.setHeader("Message-ID", "<" + UUID.randomUUID() + "@unit.yekuo.local>");
            return reply;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
