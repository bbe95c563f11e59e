package io.raftstore.admin.browser;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Headless Debian Chromium driven by Debian's chromedriver, both at explicit paths: Selenium Manager must not
 * try to download a browser or driver on a build machine.
 */
final class Browser {

    private Browser() {
    }

    static ChromeDriver open() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1360,1000", "--lang=en-US");
        // The nodes serve HTTPS with certificates from the test cluster's own CA, which headless Chromium has no
        // way to be told of (it trusts an NSS database); the tests check the console over HTTPS, SecurityIT
        // checks the certificates against that CA.
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /**
     * Saves the whole page (not only the window) as {@code <screenshots.dir>/<name>.png}: the viewport is
     * stretched to the page's height through the DevTools protocol for the shot, then restored.
     */
    static Path screenshot(ChromeDriver driver, String name) throws IOException {
        return screenshot(driver, name, 1360);
    }

    /** The same at a given viewport width, e.g. a phone's, to see the responsive layout. */
    static Path screenshot(ChromeDriver driver, String name, int width) throws IOException {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
                "height", 800, "deviceScaleFactor", 1, "mobile", false));
        Number height = (Number) driver.executeScript(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight, 600);");
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
                "height", height.intValue(), "deviceScaleFactor", 1, "mobile", false));
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        Path target = dir.resolve(name + ".png");
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        return target;
    }
}
