package io.raftstore.arquillian.app;

import io.raftstore.api.StoreConnection;
import io.raftstore.api.StoreConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /probe?key=K} answers the key's value (404 when absent), {@code PUT /probe?key=K} writes the
 * body: how a test outside the server sees what an application sees.
 */
@WebServlet("/probe")
public class StoreProbe extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Injected by the container on every instance; a servlet is never serialized with its resources. */
    @Resource(lookup = "eis/raftstore")
    transient StoreConnectionFactory store;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<String> value;
        try (StoreConnection c = store.getConnection()) {
            value = c.getString(req.getParameter("key"));
        }
        if (value.isEmpty()) {
            resp.sendError(404);
            return;
        }
        resp.setContentType("text/plain;charset=UTF-8");
        resp.getWriter().write(value.get());
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String value = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try (StoreConnection c = store.getConnection()) {
            c.put(req.getParameter("key"), value);
        }
        resp.setStatus(204);
    }
}
