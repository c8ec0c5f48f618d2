package io.virtfleet.agent.contract;

/**
 * Object-store credentials the operator read from a Kubernetes Secret; the agent itself holds no Kubernetes
 * credentials. Never logged: {@link #toString()} masks the secret.
 */
public record ImageCredentials(String accessKey, String secretKey) {
    @Override
    public String toString() {
        return "ImageCredentials[accessKey=" + accessKey + ", secretKey=****]";
    }
}
