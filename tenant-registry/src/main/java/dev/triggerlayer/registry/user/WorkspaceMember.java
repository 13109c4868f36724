package dev.triggerlayer.registry.user;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import dev.triggerlayer.registry.persistence.CommaListConverter;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/** A user's roles in one workspace of its own tenant. */
@Entity
@Table(name = "workspace_member")
@IdClass(WorkspaceMember.Key.class)
public class WorkspaceMember extends PanacheEntityBase {

    public record Key(Long workspaceId, Long userId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "workspace_id")
    public Long workspaceId;

    @Id
    @Column(name = "user_id")
    public Long userId;

    @Convert(converter = CommaListConverter.class)
    @Column(nullable = false)
    public List<String> roles;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
