package io.presence.common.event;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Publishes a backend's event only once the transaction that caused it has committed. The event takes its place in
 * its channel's order when this is called (inside the transaction), so events of one channel go out in the order
 * they were fired; the place is given up when the transaction rolls back. Outside a transaction it publishes at once.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /**
     * Reserves the event's place now and releases it after the commit.
     *
     * @throws EventPublisher.Refused when too many events are waiting (the caller refuses the change)
     */
    public static void publish(EventPublisher publisher, TransactionSynchronizationRegistry transactions, String appId,
                               String channel, ChannelEvent event) {
        EventPublisher.Ticket ticket = publisher.reserve(appId, channel);
        run(transactions, () -> ticket.release(event), ticket::cancel);
    }

    /** Runs {@code committed} once the current transaction commits, {@code rolledBack} if it does not; outside one, {@code committed} at once. */
    public static void run(TransactionSynchronizationRegistry transactions, Runnable committed, Runnable rolledBack) {
        if (transactions.getTransactionKey() == null) {
            committed.run();
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    committed.run();
                } else {
                    rolledBack.run();
                }
            }
        });
    }
}
