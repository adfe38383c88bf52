package kz.ikomek.vision.app;

import java.util.concurrent.CountDownLatch;

/**
 * Lets a long-running command wait for Ctrl-C / SIGTERM and then stop cleanly: the JVM runs shutdown hooks and
 * exits when they return, so the hook waits until the command's try-with-resources has closed everything.
 * <pre>{@code
 * try (Shutdown shutdown = Shutdown.install(); Node node = Node.start(...)) { shutdown.await(); }
 * }</pre>
 */
final class Shutdown implements AutoCloseable {

    private final CountDownLatch signalled = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Shutdown() {
    }

    static Shutdown install() {
        Shutdown s = new Shutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.signalled.countDown();
            try {
                s.stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown"));
        return s;
    }

    void await() throws InterruptedException {
        signalled.await();
    }

    /** Everything opened after this is closed: the JVM may exit. */
    @Override
    public void close() {
        stopped.countDown();
    }
}
