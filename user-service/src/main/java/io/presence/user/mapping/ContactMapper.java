package io.presence.user.mapping;

import io.presence.user.model.Account;
import io.presence.user.model.ContactRequest;
import io.presence.user.view.ContactViews.ContactView;
import io.presence.user.view.ContactViews.RequestView;
import io.presence.user.view.ContactViews.UserSummary;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Turns contact requests into wire types, with the accounts they name loaded in one go by the caller's loader. */
public final class ContactMapper {

    private final Map<Long, Account> accounts;

    private ContactMapper(Map<Long, Account> accounts) {
        this.accounts = accounts;
    }

    public static ContactMapper forRequests(Collection<ContactRequest> requests, Function<Set<Long>, List<Account>> loadAccounts) {
        Set<Long> ids = new HashSet<>();
        for (ContactRequest r : requests) {
            ids.add(r.requesterId);
            ids.add(r.addresseeId);
        }
        return new ContactMapper(loadAccounts.apply(ids).stream().collect(Collectors.toMap(a -> a.id, Function.identity())));
    }

    public RequestView toView(ContactRequest r) {
        return new RequestView(r.id.toString(), summary(r.requesterId), summary(r.addresseeId), r.state, r.createdAt);
    }

    public List<RequestView> toViews(List<ContactRequest> requests) {
        return requests.stream().map(this::toView).toList();
    }

    public List<ContactView> toContacts(long me, List<ContactRequest> accepted) {
        return accepted.stream().map(r -> new ContactView(summary(r.other(me)), r.respondedAt)).toList();
    }

    private UserSummary summary(long accountId) {
        return AccountMapper.toSummary(accounts.get(accountId));
    }
}
