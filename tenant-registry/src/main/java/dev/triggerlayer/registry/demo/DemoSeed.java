package dev.triggerlayer.registry.demo;

import dev.triggerlayer.registry.accesskey.AccessKeyService;
import dev.triggerlayer.registry.accesskey.NewAccessKey;
import dev.triggerlayer.registry.bus.EventBusInput;
import dev.triggerlayer.registry.bus.EventBusService;
import dev.triggerlayer.registry.config.RegistryConfig;
import dev.triggerlayer.registry.grant.GrantInput;
import dev.triggerlayer.registry.grant.GrantService;
import dev.triggerlayer.registry.region.RegionInput;
import dev.triggerlayer.registry.region.RegionService;
import dev.triggerlayer.registry.tenant.Edition;
import dev.triggerlayer.registry.tenant.Tenant;
import dev.triggerlayer.registry.tenant.TenantInput;
import dev.triggerlayer.registry.tenant.TenantService;
import dev.triggerlayer.registry.user.MemberInput;
import dev.triggerlayer.registry.user.Role;
import dev.triggerlayer.registry.user.UserInput;
import dev.triggerlayer.registry.user.UserKind;
import dev.triggerlayer.registry.user.UserService;
import dev.triggerlayer.registry.workspace.Environment;
import dev.triggerlayer.registry.workspace.WorkspaceInput;
import dev.triggerlayer.registry.workspace.WorkspaceService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Demo data for the one-command run: tenant A (1001) and tenant B (1002), each with a root
 * account, B with a developer, a demo workspace each, AccessKeys, a default event bus, and a grant
 * from B that lets A's root account trigger B's demo workspace. Loaded once; later starts find
 * tenant 1001 and leave everything alone.
 */
@ApplicationScoped
public class DemoSeed {

    public static final long TENANT_A = 1001, TENANT_B = 1002;
    public static final long USER_A_ROOT = 1101, USER_B_ROOT = 1201, USER_B_DEVELOPER = 1202;
    public static final long WORKSPACE_A = 2001, WORKSPACE_B = 2002;
    private static final String REGION = "cn-hangzhou";
    private static final Logger LOG = Logger.getLogger(DemoSeed.class);

    private final RegistryConfig config;
    private final RegionService regions;
    private final TenantService tenants;
    private final WorkspaceService workspaces;
    private final UserService users;
    private final AccessKeyService keys;
    private final GrantService grants;
    private final EventBusService buses;
    private final Clock clock;

    public DemoSeed(RegistryConfig config, RegionService regions, TenantService tenants, WorkspaceService workspaces,
                    UserService users, AccessKeyService keys, GrantService grants, EventBusService buses, Clock clock) {
        this.config = config;
        this.regions = regions;
        this.tenants = tenants;
        this.workspaces = workspaces;
        this.users = users;
        this.keys = keys;
        this.grants = grants;
        this.buses = buses;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        if (!config.demo().enabled()) {
            return;
        }
        boolean present = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Tenant.<Tenant>findById(TENANT_A)))
                != null;
        if (present) {
            LOG.info("demo data already loaded");
            return;
        }
        List<NewAccessKey> created = VertxContextSupport.subscribeAndAwait(this::load);
        writeCredentials(created.get(0), created.get(1));
        LOG.infof("demo data loaded: tenants %d and %d, workspaces %d and %d", TENANT_A, TENANT_B, WORKSPACE_A, WORKSPACE_B);
    }

    private Uni<List<NewAccessKey>> load() {
        return regions.create(new RegionInput(REGION, "127.0.0.1:8080", "http://127.0.0.1:8080", List.of("default")))
                .chain(() -> tenants.create(new TenantInput(TENANT_A, "tenant-a", "1001000000000001", Edition.ENTERPRISE, REGION, null)))
                .chain(() -> tenants.create(new TenantInput(TENANT_B, "tenant-b", "1002000000000002", Edition.ENTERPRISE, REGION, null)))
                .chain(() -> users.create(TENANT_A, new UserInput(USER_A_ROOT, "a-root", UserKind.ROOT)))
                .chain(() -> users.create(TENANT_B, new UserInput(USER_B_ROOT, "b-root", UserKind.ROOT)))
                .chain(() -> users.create(TENANT_B, new UserInput(USER_B_DEVELOPER, "b-developer", UserKind.SUB)))
                .chain(() -> workspaces.create(new WorkspaceInput(WORKSPACE_A, TENANT_A, "tenant_a_demo", List.of(Environment.Prod, Environment.Dev), true)))
                .chain(() -> workspaces.create(new WorkspaceInput(WORKSPACE_B, TENANT_B, "tenant_b_demo", List.of(Environment.Prod, Environment.Dev), true)))
                .chain(() -> users.setRoles(WORKSPACE_A, USER_A_ROOT, new MemberInput(List.of(Role.WORKSPACE_OWNER))))
                .chain(() -> users.setRoles(WORKSPACE_B, USER_B_ROOT, new MemberInput(List.of(Role.WORKSPACE_OWNER))))
                .chain(() -> users.setRoles(WORKSPACE_B, USER_B_DEVELOPER, new MemberInput(List.of(Role.DEVELOP))))
                .chain(() -> buses.create(TENANT_A, new EventBusInput("default", REGION)))
                .chain(() -> buses.create(TENANT_B, new EventBusInput("default", REGION)))
                .chain(() -> grants.grant(new GrantInput(TENANT_B, WORKSPACE_B, USER_A_ROOT, null, true,
                        clock.instant().plus(Duration.ofDays(365))), "demo-seed"))
                .chain(() -> keys.create(USER_A_ROOT))
                .chain(a -> keys.create(USER_B_DEVELOPER).map(b -> List.of(a, b)));
    }

    private void writeCredentials(NewAccessKey a, NewAccessKey b) throws IOException {
        if (config.demo().credentialsFile().isEmpty()) {
            LOG.warn("registry.demo.credentials-file is not set: the demo AccessKey secrets are not kept anywhere");
            return;
        }
        Path file = Path.of(config.demo().credentialsFile().get());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, String.join("\n",
                "# Demo AccessKeys (shown once by the registry). Tenant A: root account; tenant B: a developer of workspace " + WORKSPACE_B + ".",
                "TENANT_A_ACCESS_KEY_ID=" + a.accessKeyId(),
                "TENANT_A_ACCESS_KEY_SECRET=" + a.accessKeySecret(),
                "TENANT_B_ACCESS_KEY_ID=" + b.accessKeyId(),
                "TENANT_B_ACCESS_KEY_SECRET=" + b.accessKeySecret(),
                ""));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
