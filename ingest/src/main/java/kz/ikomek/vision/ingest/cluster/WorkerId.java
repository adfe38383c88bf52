package kz.ikomek.vision.ingest.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who a worker is: {@code host-pid}, unique per process, so two workers on one machine are told apart and a worker
 * that restarts is a new member. It is the Kafka {@code client.id} of the worker's camera consumer, which is how
 * {@code cluster status} finds it again among the group's members.
 */
public record WorkerId(String id, String host) {

    /** This process. */
    public static WorkerId ofThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return new WorkerId(host + "-" + ProcessHandle.current().pid(), host);
    }

    /** Back from a member's client id; the host is everything before the last '-' (host names may contain '-'). */
    public static WorkerId parse(String clientId) {
        int dash = clientId.lastIndexOf('-');
        return new WorkerId(clientId, dash > 0 ? clientId.substring(0, dash) : clientId);
    }

    @Override
    public String toString() {
        return id;
    }
}
