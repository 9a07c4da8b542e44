package cn.yekuo.hub.mailtransport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.util.StreamProvider;

import org.junit.jupiter.api.Test;

class MailStreamProviderTest {

    private static final String SERVICE = "META-INF/services/" + StreamProvider.class.getName();

    /** Counts the ServiceLoader's look-ups of the stream provider's service file. */
    static final class CountingLoader extends ClassLoader {
        final AtomicInteger scans = new AtomicInteger();

        CountingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (SERVICE.equals(name)) {
                scans.incrementAndGet();
            }
            return super.getResources(name);
        }
    }

    @Test
    void with_the_provider_named_no_class_path_scan_happens() {
        String key = StreamProvider.class.getName();
        String before = System.getProperty(key);
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        CountingLoader loader = new CountingLoader(original);
        try {
            thread.setContextClassLoader(loader);
            System.clearProperty(key);
            StreamProvider.provider();
            assertThat(loader.scans.get()).as("scans without the property (the cost being removed)").isPositive();

            loader.scans.set(0);
            MailStreamProvider.pin();
            for (int i = 0; i < 5; i++) {
                assertThat(StreamProvider.provider().getClass().getName()).isEqualTo(MailStreamProvider.ANGUS);
            }
            assertThat(loader.scans.get()).as("scans with the provider named").isZero();
        } finally {
            thread.setContextClassLoader(original);
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
            MailStreamProvider.pin();
        }
    }

    @Test
    void an_operators_choice_is_kept() {
        String key = StreamProvider.class.getName();
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "com.example.OwnProvider");
            MailStreamProvider.pin();
            assertThat(System.getProperty(key)).isEqualTo("com.example.OwnProvider");
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
            MailStreamProvider.pin();
        }
    }
}
