package io.presence.message.repository;

import io.presence.message.model.Room;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Queries on rooms. */
@ApplicationScoped
public class RoomRepository implements PanacheRepository<Room> {

    /** Public rooms by name (matching the partial index {@code rooms_public_by_name}). */
    public List<Room> listPublic(int limit) {
        return find("visibility = 'public' order by lower(name), id").page(0, limit).list();
    }
}
