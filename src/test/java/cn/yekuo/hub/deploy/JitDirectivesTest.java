package cn.yekuo.hub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/jit-directives.json, the production launch's compiler directives, run by a real JVM: the listed libraries
 * reach the optimising compiler (level 4), everything else is refused by it and ends client-compiled (level 1).
 */
class JitDirectivesTest {

    private static final Path DIRECTIVES = Paths.get("deploy/jit-directives.json").toAbsolutePath();
    private static final String UNLISTED = JitDirectivesProbe.class.getName() + "::unlisted";

    @Test
    @DisplayName("a JVM started with deploy/jit-directives.json compiles H2's and GreenMail's methods with C2 and the hub's other code with C1 only")
    void listedLibrariesGetTheOptimisingCompilerAndTheRestTheClientCompiler() throws Exception {
        Process p = probe(DIRECTIVES);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe JVM finished").isTrue();
        assertThat(p.exitValue()).as("probe JVM exit (a malformed or missing file stops the JVM):%n%s", tail(out)).isZero();
        assertThat(out).as("directives loaded").containsPattern("\\d+ compiler directives added");
        assertThat(out).as("H2 at level 4").containsPattern(compiledAt(4, "org.h2.mvstore.DataUtils::getVarIntLen"));
        assertThat(out).as("GreenMail at level 4").containsPattern(compiledAt(4, "com.icegreen.greenmail.util.GreenMailUtil::getLineCount"));
        assertThat(out).as("the probe's own method refused by C2")
                .containsPattern("made not compilable on level 4\\s+" + Pattern.quote(UNLISTED));
        assertThat(out).as("...and client-compiled at level 1").containsPattern(compiledAt(1, UNLISTED));
        assertThat(out).as("never at level 4").doesNotContainPattern(compiledAt(4, UNLISTED));
    }

    @Test
    @DisplayName("a JVM whose directives file is missing does not start")
    void aMissingDirectivesFileStopsTheJvm(@TempDir Path dir) throws Exception {
        Process p = probe(dir.resolve("jit-directives.json"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe JVM finished").isTrue();
        assertThat(p.exitValue()).as("exit of a JVM without its directives:%n%s", tail(out)).isNotZero();
        assertThat(out).doesNotContain("probe ");
    }

    private static Process probe(Path directives) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + directives, "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), JitDirectivesProbe.class.getName());
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** A -XX:+PrintCompilation line of {@code method} compiled at {@code level} (after the time, id and flag columns). */
    private static String compiledAt(int level, String method) {
        return "(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn!]*\\s*" + level + "\\s+" + Pattern.quote(method);
    }

    private static String tail(String out) {
        return out.length() <= 4000 ? out : out.substring(out.length() - 4000);
    }
}
