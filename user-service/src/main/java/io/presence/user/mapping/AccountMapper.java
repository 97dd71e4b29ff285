package io.presence.user.mapping;

import io.presence.user.model.Account;
import io.presence.user.rest.UserProfile;

/** Turns accounts into the types that go on the wire. */
public final class AccountMapper {

    private AccountMapper() {
    }

    public static UserProfile toProfile(Account account) {
        return new UserProfile(account.id.toString(), account.handle,
                account.displayName == null ? account.handle : account.displayName, account.createdAt);
    }
}
