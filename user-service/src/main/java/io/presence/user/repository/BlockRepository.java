package io.presence.user.repository;

import io.presence.user.model.Block;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Queries on blocks. */
@ApplicationScoped
public class BlockRepository implements PanacheRepositoryBase<Block, Block.Key> {

    /** Records a block; false when it existed (a concurrent identical block waits for the first, then finds it). */
    public boolean insert(long blocker, long blocked) {
        return getEntityManager().createNativeQuery("INSERT INTO blocks (blocker_id, blocked_id) VALUES (?1, ?2)"
                        + " ON CONFLICT DO NOTHING")
                .setParameter(1, blocker).setParameter(2, blocked)
                .executeUpdate() == 1;
    }

    /** Lifts a block; false when there was none (so of two racing unblocks, one finds nothing, neither fails). */
    public boolean remove(long blocker, long blocked) {
        return delete("key.blockerId = ?1 and key.blockedId = ?2", blocker, blocked) == 1;
    }

    public boolean blocks(long blocker, long blocked) {
        return count("key.blockerId = ?1 and key.blockedId = ?2", blocker, blocked) > 0;
    }

    public List<Block> by(long blocker) {
        return list("key.blockerId = ?1 order by createdAt desc", blocker);
    }
}
