package io.raftstore.admin.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The console as a user sees it, in one browser: log in, read the overview, history and audit, press buttons. */
final class ConsolePage {

    private final ChromeDriver driver;
    private final String base;

    /** The console of the node at {@code node}, its base URL. */
    ConsolePage(ChromeDriver driver, URI node) {
        this.driver = driver;
        this.base = node.toString();
    }

    ChromeDriver driver() {
        return driver;
    }

    /**
     * Opens the console, which sends an anonymous user to the login form, and logs in; a browser that another
     * node's console already logged in (a shared cookie) may be let in at once.
     */
    void logIn(String user, String password) {
        driver.get(base + "/console/");
        await(Duration.ofSeconds(20), () -> !driver.findElements(By.id("j_username")).isEmpty()
                || !driver.findElements(By.id("members")).isEmpty());
        if (driver.findElements(By.id("j_username")).isEmpty()) {
            return;
        }
        driver.findElement(By.id("j_username")).sendKeys(user);
        driver.findElement(By.id("j_password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        await(Duration.ofSeconds(20), () -> !driver.findElements(By.id("members")).isEmpty());
    }

    void open(String page) {
        driver.get(base + "/console/" + page);
    }

    String leaderShown() {
        return text(By.id("leader"));
    }

    String headline() {
        return text(By.id("headline"));
    }

    /** data-node of each member row with the given CSS class (e.g. "leader"). */
    List<String> memberRows(String cssClass) {
        return retry(() -> driver.findElements(By.cssSelector("tr.member" + (cssClass == null ? "" : "." + cssClass)))
                .stream().map(e -> e.getAttribute("data-node")).toList());
    }

    String roleShown(String node) {
        return retry(() -> driver.findElement(By.cssSelector("tr.member[data-node='" + node + "']"))
                .getAttribute("data-role"));
    }

    /** The history rows as "term|cause|newLeader". */
    List<String> historyRows() {
        return retry(() -> driver.findElements(By.cssSelector("tr.change")).stream()
                .map(e -> e.getAttribute("data-term") + "|" + e.getAttribute("data-cause") + "|"
                        + e.getAttribute("data-new-leader")).toList());
    }

    /** The history rows as term to "cause|leaderless ms|observers": what a row says, to see it never rewritten. */
    Map<String, String> historyDetails() {
        return retry(() -> {
            Map<String, String> rows = new TreeMap<>();
            for (WebElement e : driver.findElements(By.cssSelector("tr.change"))) {
                rows.put(e.getAttribute("data-term"), e.getAttribute("data-cause") + "|"
                        + e.getAttribute("data-leaderless") + "|" + e.getAttribute("data-observers"));
            }
            return rows;
        });
    }

    /** On the actions page: the members listed, by id. */
    List<String> actionMembers() {
        return retry(() -> driver.findElements(By.cssSelector("tr.member-row")).stream()
                .map(e -> e.getAttribute("data-member")).toList());
    }

    /** On the actions page: one cell (role, voter, match, lag) of a member's row. */
    String actionMember(String node, String cell) {
        return text(By.cssSelector("tr.member-row[data-member='" + node + "'] td.member-" + cell));
    }

    /**
     * On the actions page: presses a button that asks for a snapshot or membership change, waits for the
     * confirmation, confirms, and answers the outcome shown in the page.
     */
    String askAndConfirm(By button) {
        click(button);
        await(Duration.ofSeconds(10), () -> !driver.findElements(By.id("changes:yes")).isEmpty());
        click(By.id("changes:yes"));
        await(Duration.ofSeconds(60), () -> !text(By.id("changes:outcome")).isEmpty());
        return text(By.id("changes:outcome"));
    }

    String text(By by) {
        return retry(() -> {
            List<WebElement> found = driver.findElements(by);
            return found.isEmpty() ? "" : found.get(0).getText().trim();
        });
    }

    void click(By by) {
        retry(() -> {
            driver.findElement(by).click();
            return null;
        });
    }

    /** Waits for the condition, re-reading after each ajax refresh; fails the test after {@code limit}. */
    void await(Duration limit, Supplier<Boolean> condition) {
        new WebDriverWait(driver, limit, Duration.ofMillis(200)).until(d -> retry(condition::get));
    }

    /** The page re-renders parts of itself every two seconds: an element read mid-update is read again. */
    private static <T> T retry(Supplier<T> read) {
        for (int attempt = 0; ; attempt++) {
            try {
                return read.get();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }
}
