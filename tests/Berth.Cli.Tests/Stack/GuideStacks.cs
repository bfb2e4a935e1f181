namespace Berth.Cli.Tests.Stack;

/// <summary>The guide's two stack files, verbatim (docs: docker-networking, "Docker Stack을 이용한 배포" and "Overlay 네트워크를 이용한 분산 애플리케이션").</summary>
internal static class GuideStacks
{
    public const string StackOvl = """
        # stack-ovl.yml
        version: "3.9"
        networks:
          appnet:
            driver: overlay
            attachable: true

        services:
          db:
            image: postgres:15
            networks: [appnet]
            deploy:
              replicas: 1
              restart_policy:
                condition: on-failure

          api:
            image: myorg/api:1.0
            networks: [appnet]
            deploy:
              replicas: 3
              restart_policy:
                condition: on-failure

          fe:
            image: nginx:alpine
            networks: [appnet]
            ports:
              - "8080:80"
            deploy:
              replicas: 2
        """;

    public const string StackOverlay = """
        # docker-stack-overlay.yml
        version: "3.9"
        networks:
          app_network:
            driver: overlay
            attachable: true

        services:
          database:
            image: postgres:15
            networks:
              - app_network
            deploy:
              replicas: 1
              placement:
                constraints: [node.role == manager]

          application:
            image: myapp:latest
            networks:
              - app_network
            deploy:
              replicas: 3
            depends_on:
              - database

          loadbalancer:
            image: nginx:alpine
            ports:
              - "80:80"
            networks:
              - app_network
            deploy:
              replicas: 2
        """;
}
