package cn.yekuo.hub.documents;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.yekuo.hub.config.HubProperties;

/**
 * The seal of the customer documents: the configured PKCS#12 keystore ({@code yk.documents.seal.*}), read at start
 * (a keystore that cannot be read, or a wrong password, stops the start naming the file), or without one the embedded
 * default's self-signed key, with a warning. The prod profile requires a keystore (ProductionSettings).
 */
@Configuration(proxyBeanMethods = false)
public class DocumentSealConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DocumentSealConfiguration.class);

    @Bean
    DocumentSeal documentSeal(HubProperties hub, Clock clock) {
        HubProperties.Documents.Seal config = hub.documents().seal();
        if (config.keystore() == null || config.keystore().toString().isBlank()) {
            DocumentSeal seal = DocumentSeal.embedded(hub.dataDirAbsolute(), hub.documents().companyName(), clock,
                    hub.businessZone());
            log.warn("Customer documents are sealed with the embedded default's SELF-SIGNED key {} ({}): no relying party"
                    + " trusts it. Configure the company's seal certificate: yk.documents.seal.keystore (PKCS#12),"
                    + " YK_DOCUMENTS_SEAL_PASSWORD(_FILE), yk.documents.seal.alias",
                    hub.dataDirAbsolute().resolve(DocumentSeal.EMBEDDED_FILE), seal.certificate().getSubjectX500Principal());
            return seal;
        }
        String password = config.password() == null ? "" : config.password();
        DocumentSeal seal = DocumentSeal.fromKeystore(config.keystore(), password.toCharArray(), config.alias(), clock,
                hub.businessZone());
        log.info("Customer documents are sealed with {} (serial {}, valid until {}) from {}",
                seal.certificate().getSubjectX500Principal(), seal.certificate().getSerialNumber().toString(16),
                seal.certificate().getNotAfter().toInstant(), config.keystore());
        if (seal.selfSigned()) {
            log.warn("The seal certificate in {} is self-signed: no relying party trusts it", config.keystore());
        }
        return seal;
    }
}
