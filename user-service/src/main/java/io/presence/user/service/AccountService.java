package io.presence.user.service;

import io.presence.common.budget.Budgets;
import io.presence.common.http.ClientAddress;
import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.user.model.Account;
import io.presence.user.repository.AccountRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hibernate.exception.ConstraintViolationException;

/** Registers, changes, deletes and looks up accounts. */
@ApplicationScoped
public class AccountService {

    /** Handles that are path segments of the API ({@code /api/users/me}, {@code /api/contacts/blocks}, ...). */
    private static final Set<String> RESERVED_HANDLES = Set.of("me", "requests", "blocks", "current");
    /** The budget of password changes per account ({@code budgets.password-change.*}). */
    static final String PASSWORD_CHANGE_BUDGET = "password-change";
    /** Registrations per client address ({@code budgets.registration.limit} per {@code .per}). */
    public static final String REGISTRATION_BUDGET = "registration";

    private final AccountRepository accounts;
    private final SessionSockets sessions;
    private final EntityManager em;
    private final PasswordHasher hasher;
    private final Event<AccountDeleting> deleting;
    private final Budgets budgets;

    public AccountService(AccountRepository accounts, SessionSockets sessions, EntityManager em, PasswordHasher hasher,
                          Event<AccountDeleting> deleting, Budgets budgets) {
        this.budgets = budgets;
        this.deleting = deleting;
        this.accounts = accounts;
        this.sessions = sessions;
        this.em = em;
        this.hasher = hasher;
    }

    public static String normaliseHandle(String handle) {
        return handle.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Registers an account. Each registration costs a bcrypt hash, so the client's address (by IPv4 address or IPv6
     * /64) first takes one from the {@value #REGISTRATION_BUDGET} budget: 429 when it is spent.
     */
    @Transactional
    public Account register(Registration request, String clientAddress) {
        budgets.require(REGISTRATION_BUDGET, ClientAddress.group(clientAddress));
        if (!PasswordHasher.fits(request.password())) {
            throw new ProblemException(ProblemType.VALIDATION, "invalid: password (at most 72 bytes in UTF-8)");
        }
        String handle = normaliseHandle(request.handle());
        if (RESERVED_HANDLES.contains(handle)) {
            throw new ProblemException(ProblemType.VALIDATION, "invalid: handle ('" + handle + "' is reserved)");
        }
        if (accounts.findByHandle(handle).isPresent()) {
            throw handleTaken(handle);
        }
        Account account = new Account();
        account.handle = handle;
        account.passwordHash = hasher.hash(request.password());
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

    /** Changes the fields present in the update; an empty string clears the field. */
    @Transactional
    public Account update(long accountId, ProfileChange update) {
        Account account = require(accountId);
        if (update.displayName() != null) {
            account.displayName = blankToNull(update.displayName());
        }
        if (update.status() != null) {
            account.statusText = blankToNull(update.status());
        }
        return account;
    }

    /**
     * Changes the password of the session's account when the current one is given right; every other session of the
     * account ends (and its sockets close), this one stays. Each attempt takes from the account's
     * {@value #PASSWORD_CHANGE_BUDGET} budget before the password is checked, so a stolen session cannot guess it.
     */
    @Transactional
    public void changePassword(SessionService.Session session, String currentPassword, String newPassword) {
        if (!PasswordHasher.fits(newPassword)) {
            throw new ProblemException(ProblemType.VALIDATION, "invalid: newPassword (at most 72 bytes in UTF-8)");
        }
        budgets.require(PASSWORD_CHANGE_BUDGET, Long.toString(session.accountId()));
        Account account = require(session.accountId());
        if (!hasher.matches(currentPassword, account.passwordHash)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "the current password is wrong");
        }
        account.passwordHash = hasher.hash(newPassword);
        sessions.endAllBut(session.accountId(), session);
    }

    /** Deletes the account; its contacts and blocks go with it (foreign keys), its sessions end and their sockets close. */
    @Transactional
    public void delete(long accountId) {
        sessions.endAll(accountId);
        deleting.fire(new AccountDeleting(accountId)); // contacts are told while the rows are still there
        accounts.delete("id", accountId); // one statement: a racing second delete finds nothing instead of failing
    }

    public Optional<Account> findByHandle(String handle) {
        return accounts.findByHandle(normaliseHandle(handle));
    }

    public Optional<Account> findById(long id) {
        return accounts.findByIdOptional(id);
    }

    /** The account of a live session; gone only if it was deleted meanwhile, which ends the session's use. */
    public Account require(long accountId) {
        return accounts.findByIdOptional(accountId)
                .orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED, "the account of this session no longer exists"));
    }

    public List<Account> findAll(Collection<Long> ids) {
        return ids.isEmpty() ? List.of() : accounts.list("id in ?1", ids);
    }

    private static ProblemException handleTaken(String handle) {
        return new ProblemException(ProblemType.CONFLICT, "the handle '" + handle + "' is taken");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
