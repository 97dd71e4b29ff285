package io.presence.user.mapping;

import io.presence.user.model.Account;
import io.presence.user.view.ContactViews.UserSummary;
import io.presence.user.view.Me;
import io.presence.user.view.UserProfile;

/** Turns accounts into the types that go on the wire. */
public final class AccountMapper {

    private AccountMapper() {
    }

    public static UserProfile toProfile(Account account) {
        return new UserProfile(account.id.toString(), account.handle, account.shownName(), account.createdAt);
    }

    public static Me toMe(Account account) {
        return new Me(account.id.toString(), account.handle, account.shownName(), account.statusText, account.createdAt);
    }

    public static UserSummary toSummary(Account account) {
        return new UserSummary(account.id.toString(), account.handle, account.shownName());
    }
}
