package cn.yekuo.hub.deploy;

import com.icegreen.greenmail.util.GreenMailUtil;
import org.h2.mvstore.DataUtils;

/** Run by {@link JitDirectivesTest} in a JVM of its own: a hot loop over two listed libraries' methods and one of its own. */
public final class JitDirectivesProbe {

    private JitDirectivesProbe() {
    }

    public static void main(String[] args) {
        long sum = 0;
        // two seconds at least: on a loaded machine the compiler threads must get to the queued compilations
        long until = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 400_000 || System.nanoTime() < until; i++) {
            sum += DataUtils.getVarIntLen(i) + GreenMailUtil.getLineCount("a\nb\nc") + unlisted(i);
        }
        System.out.println("probe " + sum);
    }

    /** Not in a listed package: the optimising compiler must refuse it. */
    static int unlisted(int x) {
        int s = 0;
        for (int i = 0; i < 50; i++) {
            s += (x * i) ^ s;
        }
        return s;
    }
}
