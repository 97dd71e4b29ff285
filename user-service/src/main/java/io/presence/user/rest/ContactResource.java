package io.presence.user.rest;

import io.presence.common.problem.ProblemException;
import io.presence.common.problem.ProblemType;
import io.presence.common.text.Text;
import io.presence.user.mapping.AccountMapper;
import io.presence.user.mapping.ContactMapper;
import io.presence.user.model.Block;
import io.presence.user.model.ContactRequest;
import io.presence.user.view.ContactViews.BlockList;
import io.presence.user.view.ContactViews.ContactList;
import io.presence.user.view.ContactViews.NewBlock;
import io.presence.user.view.ContactViews.NewRequest;
import io.presence.user.view.ContactViews.RequestList;
import io.presence.user.view.ContactViews.RequestView;
import io.presence.user.service.AccountService;
import io.presence.user.service.ContactService;
import io.presence.user.service.SessionService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/** Contacts (seed 001): requests, accept / decline / cancel, the contact list, remove, block and unblock. */
@Path("/api/contacts")
@Produces(MediaType.APPLICATION_JSON)
public class ContactResource {

    private final ContactService contacts;
    private final AccountService accounts;
    private final SessionService sessions;

    public ContactResource(ContactService contacts, AccountService accounts, SessionService sessions) {
        this.contacts = contacts;
        this.accounts = accounts;
        this.sessions = sessions;
    }

    /** Asks someone to become a contact; asking someone who already asked you accepts their request (200). */
    @POST
    @Path("/requests")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestResponse<RequestView> request(@Context HttpHeaders headers, @Valid @NotNull NewRequest body) {
        long me = sessions.require(headers).accountId();
        ContactService.RequestOutcome outcome = contacts.request(me, body.to().trim());
        RequestView view = ContactMapper.forRequests(List.of(outcome.request()), accounts::findAll).toView(outcome.request());
        if (!outcome.created()) {
            return RestResponse.ok(view);
        }
        return RestResponse.ResponseBuilder
                .<RequestView>created(UriBuilder.fromPath("/api/contacts/requests/{id}").build(outcome.request().id))
                .entity(view).build();
    }

    /** Pending requests: {@code direction=incoming} (to me, the default) or {@code outgoing} (from me). */
    @GET
    @Path("/requests")
    public RequestList requests(@Context HttpHeaders headers, @QueryParam("direction") @DefaultValue("incoming") String direction) {
        long me = sessions.require(headers).accountId();
        List<ContactRequest> requests = switch (direction) {
            case "incoming" -> contacts.incoming(me);
            case "outgoing" -> contacts.outgoing(me);
            default -> throw new ProblemException(ProblemType.BAD_REQUEST, "invalid: direction (incoming or outgoing)");
        };
        return new RequestList(ContactMapper.forRequests(requests, accounts::findAll).toViews(requests));
    }

    @POST
    @Path("/requests/{id}/accept")
    public RequestView accept(@Context HttpHeaders headers, @PathParam("id") long id) {
        ContactRequest accepted = contacts.accept(sessions.require(headers).accountId(), id);
        return ContactMapper.forRequests(List.of(accepted), accounts::findAll).toView(accepted);
    }

    @POST
    @Path("/requests/{id}/decline")
    public void decline(@Context HttpHeaders headers, @PathParam("id") long id) {
        contacts.decline(sessions.require(headers).accountId(), id);
    }

    /** Withdraws a request I sent. */
    @DELETE
    @Path("/requests/{id}")
    public void cancel(@Context HttpHeaders headers, @PathParam("id") long id) {
        contacts.cancel(sessions.require(headers).accountId(), id);
    }

    @GET
    public ContactList list(@Context HttpHeaders headers) {
        long me = sessions.require(headers).accountId();
        List<ContactRequest> accepted = contacts.contactsOf(me);
        return new ContactList(ContactMapper.forRequests(accepted, accounts::findAll).toContacts(me, accepted));
    }

    @DELETE
    @Path("/{handle}")
    public void remove(@Context HttpHeaders headers, @PathParam("handle") @Text String handle) {
        contacts.remove(sessions.require(headers).accountId(), handle);
    }

    @GET
    @Path("/blocks")
    public BlockList blocks(@Context HttpHeaders headers) {
        List<Block> blocks = contacts.blockedBy(sessions.require(headers).accountId());
        List<Long> ids = blocks.stream().map(b -> b.key.blockedId()).toList();
        return new BlockList(accounts.findAll(ids).stream().map(AccountMapper::toSummary).toList());
    }

    /** Blocks a user (idempotent): removes any relation with them and refuses everything from them. */
    @POST
    @Path("/blocks")
    @Consumes(MediaType.APPLICATION_JSON)
    public void block(@Context HttpHeaders headers, @Valid @NotNull NewBlock body) {
        contacts.block(sessions.require(headers).accountId(), body.handle().trim());
    }

    @DELETE
    @Path("/blocks/{handle}")
    public void unblock(@Context HttpHeaders headers, @PathParam("handle") @Text String handle) {
        contacts.unblock(sessions.require(headers).accountId(), handle);
    }
}
