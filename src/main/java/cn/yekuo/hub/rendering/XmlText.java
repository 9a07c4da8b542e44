package cn.yekuo.hub.rendering;

/** Keeps text XML 1.0 can carry: control characters (other than tab, CR, LF) and lone surrogates are dropped. */
final class XmlText {

    private XmlText() {
    }

    static String stripInvalidCharacters(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && valid(s, i)) {
            i += Character.charCount(s.codePointAt(i));
        }
        if (i >= n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n);
        sb.append(s, 0, i);
        while (i < n) {
            int cp = s.codePointAt(i);
            if (valid(s, i)) {
                sb.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static boolean valid(String s, int i) {
        int cp = s.codePointAt(i);
        if (cp == 0x9 || cp == 0xA || cp == 0xD) {
            return true;
        }
        if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) {
            return false;
        }
        return !(Character.isSurrogate((char) cp));
    }
}
