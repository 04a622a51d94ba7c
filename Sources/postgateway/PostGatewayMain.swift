import PostGateway

/// `postgateway`: everything it does is in the library (`PostGatewayCommand` and its subcommands), so that the tests
/// reach every part of it and this target stays a door.
@main
enum PostGatewayMain {
    static func main() async {
        await PostGatewayCommand.main()
    }
}
