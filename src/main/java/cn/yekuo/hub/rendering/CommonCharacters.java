package cn.yekuo.hub.rendering;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.BitSet;

/**
 * The characters the compact faces of {@link ChineseFontLibrary} hold: what the templates and nearly every customer's
 * data are written in. A document with any other character gets the full faces, so this list only decides speed,
 * never what the customer sees.
 */
final class CommonCharacters {

    /** Unicode blocks taken whole (the fonts hold only part of some; only glyphs present are copied). */
    private static final int[][] BLOCKS = {
            {0x0000, 0x00FF}, // ASCII and Latin-1 (×, ±, °, ·), controls too: WenQuanYi maps them to empty glyphs
            {0x2000, 0x206F}, // general punctuation (—, …, ‘’, “”, ‰, ※)
            {0x2100, 0x214F}, // letterlike symbols (℃, №)
            {0x2150, 0x218F}, // number forms (Ⅰ–Ⅻ)
            {0x2190, 0x21FF}, // arrows
            {0x2200, 0x22FF}, // mathematical operators (≤, ≥, ≈)
            {0x2460, 0x24FF}, // enclosed alphanumerics (①, ⑴, ⒈)
            {0x2500, 0x257F}, // box drawing
            {0x25A0, 0x25FF}, // geometric shapes (□, ■, ○, ●, △)
            {0x3000, 0x303F}, // CJK symbols and punctuation
            {0x3200, 0x32FF}, // enclosed CJK letters (㈠, ㊣)
            {0x3300, 0x33FF}, // CJK compatibility (㎡, ㎏, ㎞)
            {0xFF00, 0xFFEF}, // half-width and full-width forms
    };

    private CommonCharacters() {
    }

    /** A new set of the code points: the blocks above and the whole GB2312 character set (7,445 characters). */
    static BitSet codePoints() {
        BitSet out = gb2312();
        for (int[] block : BLOCKS) {
            out.set(block[0], block[1] + 1);
        }
        return out;
    }

    /** Every valid two-byte GB2312 sequence (rows and cells 0xA1–0xFE), decoded by the JDK. */
    static BitSet gb2312() {
        CharsetDecoder decoder = Charset.forName("GB2312").newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        BitSet out = new BitSet(0x10000);
        byte[] pair = new byte[2];
        for (int high = 0xA1; high <= 0xFE; high++) {
            for (int low = 0xA1; low <= 0xFE; low++) {
                pair[0] = (byte) high;
                pair[1] = (byte) low;
                try {
                    CharBuffer decoded = decoder.reset().decode(ByteBuffer.wrap(pair));
                    decoded.codePoints().forEach(out::set);
                } catch (CharacterCodingException unassigned) {
                    // a hole in the GB2312 table
                }
            }
        }
        return out;
    }
}
