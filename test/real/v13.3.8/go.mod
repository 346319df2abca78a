// Pins for building Teleport v13.3.8 (tag commit c95e235e8855) from its Go module.
// The module path has no /v13 suffix, so the tag is named by its pseudo-version.
module teleport-ci.test/real

go 1.21

toolchain go1.21.13

require (
	github.com/gravitational/teleport v0.0.0-20230905183941-c95e235e8855
	// Teleport requires api v0.0.0 (its ./api); the replace below maps it to the tag's commit.
	github.com/gravitational/teleport/api v0.0.0
)

// Teleport's own replace directives at the tag (a dependency's replaces are not
// inherited), with ./api swapped for the api module at the same commit.
replace (
	github.com/alecthomas/kingpin/v2 => github.com/gravitational/kingpin/v2 v2.1.11-0.20230515143221-4ec6b70ecd33
	github.com/coreos/go-oidc => github.com/gravitational/go-oidc v0.1.0
	github.com/datastax/go-cassandra-native-protocol => github.com/gravitational/go-cassandra-native-protocol v0.0.0-20221005103706-b9e66c056e90
	github.com/go-mysql-org/go-mysql => github.com/gravitational/go-mysql v1.5.0-teleport.1
	github.com/go-redis/redis/v9 => github.com/gravitational/redis/v9 v9.0.0-teleport.3
	github.com/gogo/protobuf => github.com/gravitational/protobuf v1.3.2-teleport.1
	github.com/gravitational/teleport/api => github.com/gravitational/teleport/api v0.0.0-20230905183941-c95e235e8855
	github.com/julienschmidt/httprouter => github.com/gravitational/httprouter v1.3.1-0.20220408074523-c876c5e705a5
	github.com/keys-pub/go-libfido2 => github.com/gravitational/go-libfido2 v1.5.3-0.20230202181331-c71192ef1c8a
	github.com/microsoft/go-mssqldb => github.com/gravitational/go-mssqldb v0.11.1-0.20230331180905-0f76f1751cd3
	github.com/moby/spdystream => github.com/gravitational/spdystream v0.0.0-20230512133543-4e46862ca9bf
	github.com/vulcand/predicate => github.com/gravitational/predicate v1.3.1
)
