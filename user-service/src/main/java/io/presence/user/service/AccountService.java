package io.presence.user.service;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.user.config.UserConfig;
import io.presence.user.model.Account;
import io.presence.user.repository.AccountRepository;
import io.presence.user.rest.RegistrationRequest;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/** Registers accounts and looks them up. */
@ApplicationScoped
public class AccountService {

    /** bcrypt reads at most 72 bytes of a password; longer ones would be silently truncated. */
    private static final int BCRYPT_MAX_BYTES = 72;

    private final AccountRepository accounts;
    private final EntityManager em;
    private final UserConfig config;

    public AccountService(AccountRepository accounts, EntityManager em, UserConfig config) {
        this.accounts = accounts;
        this.em = em;
        this.config = config;
    }

    public static String normaliseHandle(String handle) {
        return handle.trim().toLowerCase(Locale.ROOT);
    }

    @Transactional
    public Account register(RegistrationRequest request) {
        if (request.password().getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
            throw new ProblemException(ProblemType.VALIDATION, "invalid: password (at most 72 bytes in UTF-8)");
        }
        String handle = normaliseHandle(request.handle());
        if (accounts.findByHandle(handle).isPresent()) {
            throw handleTaken(handle);
        }
        Account account = new Account();
        account.handle = handle;
        account.passwordHash = BcryptUtil.bcryptHash(request.password(), config.password().bcryptCost());
        account.displayName = blankToNull(request.displayName());
        account.statusText = blankToNull(request.status());
        try {
            accounts.persistAndFlush(account);
        } catch (ConstraintViolationException e) {
            // another request registered the same handle between our check and our insert
            throw handleTaken(handle);
        }
        em.refresh(account);
        return account;
    }

    public Optional<Account> findByHandle(String handle) {
        return accounts.findByHandle(normaliseHandle(handle));
    }

    private static ProblemException handleTaken(String handle) {
        return new ProblemException(ProblemType.CONFLICT, "the handle '" + handle + "' is taken");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
