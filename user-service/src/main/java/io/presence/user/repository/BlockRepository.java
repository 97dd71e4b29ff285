package io.presence.user.repository;

import io.presence.user.model.Block;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Queries on blocks. */
@ApplicationScoped
public class BlockRepository implements PanacheRepositoryBase<Block, Block.Key> {

    public boolean blocks(long blocker, long blocked) {
        return count("key.blockerId = ?1 and key.blockedId = ?2", blocker, blocked) > 0;
    }

    public boolean eitherBlocks(long a, long b) {
        return count("(key.blockerId = ?1 and key.blockedId = ?2) or (key.blockerId = ?2 and key.blockedId = ?1)", a, b) > 0;
    }

    public List<Block> by(long blocker) {
        return list("key.blockerId = ?1 order by createdAt desc", blocker);
    }
}
