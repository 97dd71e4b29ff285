package io.presence.user.repository;

import io.presence.user.model.Account;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Queries on accounts. */
@ApplicationScoped
public class AccountRepository implements PanacheRepository<Account> {

    /** Finds an account by its (already normalised) handle. */
    public Optional<Account> findByHandle(String handle) {
        return find("handle", handle).firstResultOptional();
    }
}
