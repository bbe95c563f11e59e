package io.raftstore.liberty;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Production is production: the server definition and the packaged server (liberty-config:zip:server)
 * deploy the store and nothing else. The sample and the adapter benchmark reach local nodes through
 * ./cluster's config dropin only, never through this server.
 */
class ProductionServerIT {

    private static final String SERVER = "wlp/usr/servers/raftstore/";

    /** Every server.xml element that deploys code or pulls in more configuration. */
    private static final Set<String> DEPLOYING = Set.of("application", "webApplication", "enterpriseApplication",
            "ejbApplication", "springBootApplication", "resourceAdapter", "include");

    /** What the store is: its EAR and its standalone JCA adapter. */
    private static final Set<String> STORE = Set.of("enterpriseApplication raftstore.ear",
            "resourceAdapter ${server.config.dir}/connectors/raftstore-jca.rar");

    /** The files of the packaged server: the definition, the store and the API library it shares. */
    private static final Set<String> STORE_FILES = Set.of("server.xml", "server.env", "apps/raftstore.ear",
            "lib/raftstore-api.jar", "connectors/raftstore-jca.rar");

    private static Path property(String name) {
        Path p = Path.of(System.getProperty(name, "(system property " + name + " not set)"));
        assertTrue(Files.isRegularFile(p), p + " is missing");
        return p;
    }

    @Test
    void serverXmlDeploysTheStoreAndNothingElse() throws Exception {
        try (InputStream in = Files.newInputStream(property("raftstore.server.xml"))) {
            assertDeploysOnlyTheStore(in, "server.xml");
        }
    }

    @Test
    void packagedServerHoldsTheStoreAndNothingElse() throws Exception {
        try (ZipFile zip = new ZipFile(property("raftstore.server.package").toFile())) {
            Set<String> files = new TreeSet<>();
            for (ZipEntry e : zip.stream().filter(e -> !e.isDirectory()).toList()) {
                assertTrue(e.getName().startsWith(SERVER), "only the raftstore server is packaged: " + e.getName());
                String file = e.getName().substring(SERVER.length());
                // The build's own leftovers of a server once run in place are harmless; nothing else may be there.
                if (!file.startsWith("workarea/") && !file.startsWith("logs/")) {
                    files.add(file);
                }
            }
            assertEquals(STORE_FILES, files, "the packaged server holds the store only (no sample, no benchmark, "
                    + "no dropins)");
            try (InputStream in = zip.getInputStream(zip.getEntry(SERVER + "server.xml"))) {
                assertDeploysOnlyTheStore(in, "the packaged server.xml");
            }
        }
    }

    /**
     * The node refuses plain HTTP beyond loopback by reading raftstore.http.host and raftstore.http.port
     * (ejb-raft's PlainHttpGuard): every endpoint that serves plain HTTP must be built from exactly those, or the
     * guard would check something else than what listens.
     */
    @Test
    void everyPlainHttpListenerIsTheOneTheNonLoopbackGuardChecks() throws Exception {
        try (InputStream in = Files.newInputStream(property("raftstore.server.xml"))) {
            Document doc = parse(in);
            NodeList endpoints = doc.getElementsByTagName("httpEndpoint");
            assertTrue(endpoints.getLength() > 0, "server.xml has an httpEndpoint");
            for (int i = 0; i < endpoints.getLength(); i++) {
                Element e = (Element) endpoints.item(i);
                if (!e.getAttribute("httpPort").equals("-1")) {
                    assertEquals("${raftstore.http.host}", e.getAttribute("host"), e.getAttribute("id") + " host");
                    assertEquals("${raftstore.http.port}", e.getAttribute("httpPort"), e.getAttribute("id") + " httpPort");
                }
            }
            Set<String> allowances = new TreeSet<>();
            NodeList variables = doc.getElementsByTagName("variable");
            for (int i = 0; i < variables.getLength(); i++) {
                Element v = (Element) variables.item(i);
                if (v.getAttribute("name").equals("raftstore.http.plain.allowed")) {
                    allowances.add(v.getAttribute("defaultValue"));
                }
            }
            assertEquals(Set.of("false"), allowances, "raftstore.http.plain.allowed is declared, false by default");
        }
    }

    private static Document parse(InputStream serverXml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(serverXml);
    }

    private static void assertDeploysOnlyTheStore(InputStream serverXml, String what) throws Exception {
        Document doc = parse(serverXml);
        Set<String> deployed = new TreeSet<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (DEPLOYING.contains(e.getTagName())) {
                assertTrue(deployed.add(e.getTagName() + " " + e.getAttribute("location")), what + " deploys "
                        + e.getAttribute("location") + " twice");
            }
        }
        assertEquals(STORE, deployed, what + " deploys exactly the store's EAR and its adapter");

        // With dropins on, whatever lies in the server's dropins folder would be deployed too.
        NodeList monitors = doc.getElementsByTagName("applicationMonitor");
        assertEquals(1, monitors.getLength(), what + ": one applicationMonitor");
        assertEquals("false", ((Element) monitors.item(0)).getAttribute("dropinsEnabled"), what + ": dropins are off");
    }
}
